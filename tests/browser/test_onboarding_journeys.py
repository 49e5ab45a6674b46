"""Issue 16, item 7 in a real Chromium: the territory admin invites a new provider by
email; the invited person opens the emailed link, signs in, accepts and lands in the
studio of their new provider."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django_tenants.utils import schema_context, tenant_context
from playwright.sync_api import Browser, expect

from shared_apps.accounts.models import User
from shared_apps.ops.models import OutboundEmail
from tenant_apps.catalogue.models import Provider, ProviderStaff, Venue
from tests.browser.conftest import ContextFor
from tests.browser.live import LiveSite

# Not django_db: the rows the live server must see are committed (like the live site's
# own), so the database is used here outside a test transaction.
pytestmark = [pytest.mark.browser]

INVITEE = "invitee.lumen@example.org"
PASSWORD = "an invited pass phrase 2026"


@pytest.fixture
def db_access(django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def invitee(live: LiveSite, db_access: None) -> Any:
    """An account of the invited address (committed), removed afterwards."""
    with schema_context("public"):
        User.objects.filter(email=INVITEE).delete()
        OutboundEmail.objects.filter(to__contains=[INVITEE]).delete()
        user = User.objects.create(email=INVITEE)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=INVITEE, verified=True, primary=True)
    yield user
    with tenant_context(live.territory):
        Provider.objects.filter(name="Lumen Makers Guild").delete()
    with schema_context("public"):
        User.objects.filter(email=INVITEE).delete()
        # The invitation email is a committed outbox row: later tests of the outbox
        # (and the next run on the reused test database) must not find it.
        OutboundEmail.objects.filter(to__contains=[INVITEE]).delete()


def test_invite_a_provider_then_accept_and_reach_the_studio(
    live: LiveSite, context_for: ContextFor, chromium: Browser, invitee: User
) -> None:
    admin = context_for("admin", "en").new_page()
    try:
        admin.goto(live.url("territory", "/manage/review/providers/"))
        admin.get_by_role("link", name="Invite a provider").click()
        admin.get_by_label("Name of the organisation").fill("Lumen Makers Guild")
        admin.get_by_label("Email").fill(INVITEE)
        admin.get_by_role("button", name="Invite", exact=True).click()
        expect(admin.get_by_text(f"An invitation was sent to {INVITEE}")).to_be_visible()
        expect(admin.get_by_role("listitem").filter(has_text="Lumen Makers Guild")).to_be_visible()
    finally:
        admin.close()

    with schema_context("public"):
        body = OutboundEmail.objects.filter(to=[INVITEE]).latest("created_at").body
    link = re.search(r"https?://\S+/studio/invitations/\S+/", body)
    assert link is not None and link.group(0).startswith(live.base)

    # The invited person, in a browser of their own, not signed in.
    context = chromium.new_context(bypass_csp=False)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live.base}])
    page = context.new_page()
    try:
        page.goto(link.group(0))
        assert "/accounts/login/" in page.url
        page.locator('input[name="login"]').fill(INVITEE)
        page.locator('input[name="password"]').fill(PASSWORD)
        page.locator('input[name="password"]').press("Enter")
        expect(page.get_by_text("You are invited to work for Lumen Makers Guild")).to_be_visible()
        page.get_by_role("button", name="Accept").click()
        expect(page).to_have_url(re.compile(r"/studio/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Lumen Makers Guild")
    finally:
        context.close()
    with tenant_context(live.territory):
        provider = Provider.objects.get(name="Lumen Makers Guild")
        assert provider.status == Provider.Status.VERIFIED
        assert list(provider.staff.values_list("user__email", "role")) == [(INVITEE, "owner")]


def test_venue_address_search_by_keyboard(
    live: LiveSite, context_for: ContextFor, db_access: None
) -> None:
    with tenant_context(live.territory):
        staff = ProviderStaff.objects.filter(user=live.users["provider"]).first()
        assert staff is not None
        venue = Venue.objects.exclude(address="").order_by("pk").first()
        assert venue is not None
        provider_id, address = staff.provider_id, venue.address
    page = context_for("provider", "en").new_page()
    try:
        page.goto(live.url("territory", f"/studio/{provider_id}/venues/new/"))
        search = page.get_by_label("Search for the address")
        search.fill(address[:12])
        search.press("Enter")  # searches; the venue form is not submitted
        first = page.locator(".address-search__results button").first
        expect(first).to_be_focused()
        expect(page.locator(".address-search__status")).to_contain_text("Places found:")
        page.keyboard.press("Enter")
        expect(page.locator("#id_latitude")).not_to_have_value("")
        expect(page.locator("#id_address")).to_be_focused()
        assert page.locator("#id_address").input_value() != ""
    finally:
        page.close()
