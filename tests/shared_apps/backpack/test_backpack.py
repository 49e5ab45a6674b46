"""The backpack: every territory's badges of one learner, private unless shared."""

from collections.abc import Callable

from allauth.account.models import EmailAddress

from shared_apps.accounts.models import User
from shared_apps.backpack.models import BackpackEntry
from tenant_apps.badges import actions
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.tenant_apps.badges.factories import award, in_territory, make_badge


def network_as(user: User) -> HostClient:
    client = HostClient("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def test_backpack_gathers_badges_from_every_territory_after_commit(
    territory_a: Territory,
    territory_b: Territory,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with in_territory(territory_a):
            from_a = award(territory_a, make_badge(territory_a, "Aurora badge"), "ada@example.org")
        with in_territory(territory_b):
            award(territory_b, make_badge(territory_b, "Borealis badge"), "ada@example.org")
            award(territory_b, make_badge(territory_b, "Bea's badge"), "bea@example.org")
    page = network_as(user("ada")).get("/backpack/").content.decode()
    assert "Aurora badge" in page and "Borealis badge" in page
    assert "Bea&#x27;s badge" not in page and "Bea's badge" not in page
    assert "linkedin.com/profile/add" in page
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        actions.revoke_award(territory=territory_a, award=from_a, reason="Oops", acting_user=None)
    entry = BackpackEntry.objects.get(award_uuid=from_a.uuid)
    assert entry.revoked_at is not None and entry.revocation_reason == "Oops"


def test_badges_sent_to_an_address_appear_once_the_owner_verified_it(
    territory_a: Territory, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        award(territory_a, make_badge(territory_a, "Before signing up"), "late@example.org")
    entry = BackpackEntry.objects.get(badge_name="Before signing up")
    assert entry.user is None and "late@example.org" not in entry.email_digest
    late = User.objects.create_user("late@example.org", "a long password 123")
    address = EmailAddress.objects.create(user=late, email=late.email, verified=False, primary=True)
    assert "Before signing up" not in network_as(late).get("/backpack/").content.decode()
    address.verified = True
    address.save()
    assert "Before signing up" in network_as(late).get("/backpack/").content.decode()


def test_sharing_is_opt_in_owner_only_and_revocable(
    territory_a: Territory, user: Callable[[str], User], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        award(territory_a, make_badge(territory_a, "Shareable"), "ada@example.org")
    entry = BackpackEntry.objects.get(badge_name="Shareable")
    anonymous = HostClient("localhost")
    assert anonymous.get(f"/backpack/shared/{entry.share_token}/").status_code == 404
    assert anonymous.get("/backpack/").status_code == 302
    bea = network_as(user("bea"))
    assert bea.post(f"/backpack/{entry.pk}/sharing/", {"public": "1"}).status_code == 404
    ada = network_as(user("ada"))
    assert ada.post(f"/backpack/{entry.pk}/sharing/", {"public": "1"}).status_code == 302
    entry.refresh_from_db()
    shared = anonymous.get(f"/backpack/shared/{entry.share_token}/")
    assert shared.status_code == 200 and "Shareable" in shared.content.decode()
    assert shared["X-Robots-Tag"] == "noindex"
    assert "ada@example.org" not in shared.content.decode()
    # Link previews: the badge's PNG, absolute.
    preview = entry.image_url.removesuffix(".svg").removesuffix(".png") + ".png"
    assert preview.startswith("http://aurora.localhost/ob/v2/badges/")
    assert f'<meta property="og:image" content="{preview}">' in shared.content.decode()
    assert '<meta name="twitter:card" content="summary">' in shared.content.decode()
    old_token = entry.share_token
    ada.post(f"/backpack/{entry.pk}/sharing/", {"public": "0"})
    assert anonymous.get(f"/backpack/shared/{old_token}/").status_code == 404


def test_the_evidence_toggle_is_the_owners_and_ends_with_the_public_page(
    territory_a: Territory, user: Callable[[str], User], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        award(territory_a, make_badge(territory_a, "With evidence"), "ada@example.org")
    entry = BackpackEntry.objects.get(badge_name="With evidence")
    ada = network_as(user("ada"))
    ada.post(f"/backpack/{entry.pk}/sharing/", {"public": "1"})
    assert "Show my evidence on the public page" in ada.get("/backpack/").content.decode()
    bea = network_as(user("bea"))
    sharing = {"public": "1", "evidence": "1"}
    assert bea.post(f"/backpack/{entry.pk}/sharing/", sharing).status_code == 404
    entry.refresh_from_db()
    assert not entry.share_evidence
    assert ada.post(f"/backpack/{entry.pk}/sharing/", sharing).status_code == 302
    entry.refresh_from_db()
    assert entry.share_evidence and entry.is_public
    ada.post(f"/backpack/{entry.pk}/sharing/", {"public": "0"})
    entry.refresh_from_db()
    assert not entry.share_evidence and not entry.is_public


def test_backpack_does_not_exist_on_territory_hosts(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("ada"))
    assert client.get("/backpack/").status_code == 404


def test_backpack_query_count_does_not_grow_with_badges(
    territory_a: Territory,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
) -> None:
    ada = network_as(user("ada"))
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        award(territory_a, make_badge(territory_a, "One"), "ada@example.org")
    ada.get("/backpack/")
    # 8 for the badges; the passport adds the memberships and one per territory of ada;
    # the menu asks whether the account may use the coordinators' console; the header's
    # unread notifications.
    with django_assert_max_num_queries(12) as few:
        ada.get("/backpack/")
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        for n in range(5):
            award(territory_a, make_badge(territory_a, f"More {n}"), "ada@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = ada.get("/backpack/").content.decode()
    assert page.count("badge-card__title") == 6
