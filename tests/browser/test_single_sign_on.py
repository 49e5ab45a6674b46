"""One sign-in across the network, in Chromium against gunicorn: sign in on territory A
(typing the password once), arrive on territory B signed in, open the backpack on the
network site without a sign-in page; sign out on B and be signed out on A."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Page, expect

from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import Membership
from shared_apps.audit.models import AuditEntry
from tenants.actions import provision_territory
from tenants.models import Territory
from tests.browser.live import PASSWORD, LiveSite

pytestmark = pytest.mark.browser

OTHER = "umbra"
SIGNED_IN = 'form[action="/accounts/logout/"]'


def _drop_other() -> None:
    with schema_context("public"):
        territory = Territory.objects.filter(slug=OTHER).first()
        if territory is not None:
            AuditEntry.objects.filter(territory=territory).delete()
            territory.delete(force_drop=True)


@pytest.fixture(scope="module")
def territory_b(live: LiveSite, django_db_blocker: Any) -> Iterator[Territory]:
    """A second live territory where the demo learner is a member too (committed rows,
    dropped at the end, like the live territory itself)."""
    with django_db_blocker.unblock():
        _drop_other()
        with schema_context("public"):
            territory = provision_territory(
                name="Umbra",
                slug=OTHER,
                country="LT",
                default_language="en",
                languages=[],
                timezone_name="Europe/Vilnius",
                map_center=Point(25.28, 54.69, srid=4326),
                status=Territory.Status.ACTIVE,
            )
            grant_membership(
                user=live.users["learner"], territory=territory, role=Membership.Role.LEARNER
            )
    try:
        yield territory
    finally:
        with django_db_blocker.unblock():
            _drop_other()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    # A fresh browser profile: no cookie on any host.
    context = chromium.new_context()
    context.set_default_timeout(30000)
    yield context.new_page()
    context.close()


def test_sign_in_on_a_then_b_and_the_backpack_are_signed_in(
    live: LiveSite, territory_b: Territory, page: Page
) -> None:
    other = f"http://{OTHER}.localhost:{live.port}"
    page.goto(f"{live.base}/accounts/login/?next=/badges/")
    # Nobody is signed in on the network site: the form, no loop.
    page.fill("#id_login", live.users["learner"].email)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").first.click()
    page.wait_for_url(f"{live.base}/badges/")
    expect(page.locator(SIGNED_IN)).to_have_count(1)

    page.goto(f"{other}/")
    page.wait_for_url(f"{other}/")
    expect(page.locator(SIGNED_IN)).to_have_count(1)

    page.goto(f"{live.network}/backpack/")
    page.wait_for_url(f"{live.network}/backpack/")
    expect(page.locator("h1")).to_have_count(1)
    assert "/accounts/login/" not in page.url

    # Signing out on B signs out everywhere.
    page.goto(f"{other}/")
    page.locator(f"details:has({SIGNED_IN}) > summary").click()  # the account menu
    page.locator(SIGNED_IN).locator("button").click()
    page.wait_for_load_state()
    page.goto(f"{live.network}/backpack/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.context.clear_cookies(name="sso_checked")
    page.goto(f"{live.base}/badges/mine/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
