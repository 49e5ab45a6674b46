"""Issue 18, A1 in the browser: a provider adds their calendar's address in the studio
and its events become their activities (imported by the task, in process here)."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.catalogue.models import Activity
from tenant_apps.opendata.models import CalendarFeed
from tests.browser.conftest import ContextFor
from tests.browser.live import LiveSite
from tests.browser.pages import providers_own
from tests.tenant_apps.opendata.calserver import calendar_server, ics_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_provider_imports_a_calendar_from_the_studio(
    live: LiveSite, context_for: ContextFor
) -> None:
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=5)
    with tenant_context(live.territory):
        provider, _activity = providers_own(live)
    page = context_for("provider", "en", "desktop").new_page()
    with calendar_server() as server:
        url = server.serve(
            "/club.ics", ics_file(("kite@example.org", "Kite workshop", f"{start:%Y%m%dT140000Z}"))
        )
        try:
            page.goto(live.url("territory", f"/studio/{provider.pk}/"), wait_until="load")
            page.get_by_role("link", name="Calendars").click()
            page.get_by_label("Calendar address (.ics)").fill(url)
            page.get_by_role("button", name="Add", exact=True).click()
            expect(page.get_by_text("Added. Its events are being imported.")).to_be_visible()
            page.reload()
            expect(page.get_by_role("heading", name=url)).to_be_visible()
            expect(page.get_by_text("1 new, 0 updated")).to_be_visible()
            assert server.hits == ["/club.ics"]
            page.goto(live.url("territory", f"/studio/{provider.pk}/"), wait_until="load")
            expect(page.get_by_role("link", name="Kite workshop")).to_be_visible()
        finally:
            page.close()
            # The live server committed these rows: take them away again.
            with tenant_context(live.territory):
                Activity.objects.filter(provider=provider, title="Kite workshop").delete()
                CalendarFeed.objects.filter(provider=provider).delete()
