"""The territory admin imports a spreadsheet in Chromium: upload, map a column by hand,
preview, confirm, and the result (Content-Security-Policy enforced)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.imports.models import ColumnMapping, ImportJob
from tests.browser.conftest import ContextFor
from tests.browser.live import LiveSite

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
SOURCE = "browser-test"


def _file(live: LiveSite) -> bytes:
    centre = live.territory.map_center
    today = datetime.datetime.now(datetime.UTC).date()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # "Pavadinimas" is the city's own name for the title: mapped by hand below; the
    # other columns carry the field names and are matched by themselves.
    writer.writerow(
        ["external_id", "Pavadinimas", "summary", "interests", "provider_name",
         "venue_name", "venue_address", "venue_latitude", "venue_longitude",
         "starts_on", "ends_on", "weekdays", "start_time", "end_time"]
    )  # fmt: skip
    for n in (1, 2, 3):
        writer.writerow(
            [f"b-{n}", f"Naršyklės būrelis {n}", "Mokomės kartu.", "music", "Naršyklės centras",
             "Didžioji salė", "Didžioji g. 1", f"{centre.y:.5f}", f"{centre.x:.5f}",
             (today - datetime.timedelta(days=3)).isoformat(),
             (today + datetime.timedelta(days=60)).isoformat(), "2, 4", "15:00", "16:00"]
        )  # fmt: skip
    return buffer.getvalue().encode()


def _clean_up(live: LiveSite, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock(), tenant_context(live.territory):
        Activity.objects.filter(external_source=SOURCE).delete()
        Provider.objects.filter(name="Naršyklės centras").delete()
        ImportJob.objects.filter(source=SOURCE).delete()
        ColumnMapping.objects.all().delete()


def test_upload_map_preview_confirm(
    live: LiveSite, context_for: ContextFor, django_db_blocker: Any
) -> None:
    page = context_for("admin", "en", "desktop", csp=True).new_page()
    try:
        page.goto(live.url("territory", "/manage/"))
        page.get_by_role("link", name="Import activities").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Import activities")
        page.locator("#id_file").set_input_files(
            {"name": "katalogas.csv", "mimeType": "text/csv", "buffer": _file(live)}
        )
        page.get_by_label("Source").fill(SOURCE)
        page.get_by_role("button", name="Upload").click()

        expect(page.get_by_text("3 rows")).to_be_visible()
        page.get_by_label("Pavadinimas").select_option("title")
        page.get_by_role("button", name="Preview").click()
        preview = page.locator("table.import-preview")
        expect(preview).to_contain_text("Naršyklės būrelis 3")
        expect(preview).to_contain_text("Didžioji salė")
        with django_db_blocker.unblock(), tenant_context(live.territory):
            assert not Activity.objects.filter(external_source=SOURCE).exists()

        page.get_by_role("button", name="Confirm the import").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Done: 3 added, 0 updated, 1 new providers, 1 new venues.", timeout=60000
        )
        with django_db_blocker.unblock(), tenant_context(live.territory):
            imported = Activity.objects.filter(external_source=SOURCE, is_public=True)
            assert sorted(imported.values_list("title", flat=True)) == [
                "Naršyklės būrelis 1",
                "Naršyklės būrelis 2",
                "Naršyklės būrelis 3",
            ]
        # The public page of an imported activity.
        with django_db_blocker.unblock(), tenant_context(live.territory):
            path = imported.order_by("external_id").first().get_absolute_url()  # type: ignore[union-attr]
        page.goto(live.url("territory", path))
        expect(page.get_by_role("heading", level=1)).to_have_text("Naršyklės būrelis 1")
    finally:
        page.close()
        _clean_up(live, django_db_blocker)


@pytest.mark.parametrize(("language", "width"), [("lt", "phone"), ("en", "desktop")])
def test_the_import_pages_pass_axe(
    live: LiveSite, context_for: ContextFor, django_db_blocker: Any, language: str, width: str
) -> None:
    from tests.browser.axe import audit, describe

    page = context_for("admin", language, width).new_page()
    try:
        page.goto(live.url("territory", "/manage/import/"))
        problems = describe("import: upload", audit(page))
        page.locator("#id_file").set_input_files(
            {"name": "katalogas.csv", "mimeType": "text/csv", "buffer": _file(live)}
        )
        page.locator("#id_source").fill(SOURCE)
        page.locator("form[enctype] button[type=submit]").click()
        page.locator("button[name=preview]").click()
        expect(page.locator("table.import-preview")).to_be_visible()
        problems += describe("import: mapping and preview", audit(page))
        assert not problems, "\n".join(problems)
    finally:
        page.close()
        _clean_up(live, django_db_blocker)
