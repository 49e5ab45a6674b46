"""is_restricted() gates every place that publishes or shares something of a person."""

from typing import Any

from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.backpack.actions import set_sharing
from shared_apps.backpack.models import BackpackEntry
from shared_apps.guardians.actions import confirm_consent, withdraw_consent
from shared_apps.guardians.models import GuardianConsent
from shared_apps.guardians.selectors import is_restricted
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.shared_apps.guardians.factories import just_turned, make_learner
from tests.tenant_apps.badges.factories import award, in_territory, make_badge


def _network_as(user: Any) -> HostClient:
    client = HostClient("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def _minor_with_badge(territory: Territory, capture: Any) -> tuple[Any, Any, BackpackEntry]:
    minor = make_learner("teen@example.org", just_turned(13), territory)
    with capture(execute=True), in_territory(territory):
        made = award(territory, make_badge(territory, "Teen badge"), "teen@example.org")
    return minor, made, BackpackEntry.objects.get(award_uuid=made.uuid)


def test_restricted_minor_cannot_share_and_badge_has_no_public_documents(
    territory_a: Territory, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    minor, made, entry = _minor_with_badge(territory_a, django_capture_on_commit_callbacks)
    assert is_restricted(minor)
    client = _network_as(minor)
    page = client.get("/backpack/").content.decode()
    assert "Teen badge" in page  # they still see their own badge
    assert "linkedin.com/profile/add" not in page and "Create a public page" not in page
    response = client.post(f"/backpack/{entry.pk}/sharing/", {"public": "1"}, follow=True)
    assert "parent or guardian must confirm" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.is_public

    anonymous = client_for(territory_a)
    for path in (
        f"/badges/awards/{made.uuid}/",
        f"/ob/v2/assertions/{made.uuid}",
        f"/ob/v3/credentials/{made.uuid}",
        f"/badges/awards/{made.uuid}/download/ob2.png",
    ):
        assert anonymous.get(path).status_code == 404, path
    # The learner sees their own award page.
    own = client_for(territory_a)
    own.sign_in(minor)
    assert own.get(f"/badges/awards/{made.uuid}/").status_code == 200


def test_after_consent_sharing_works_and_withdrawal_hides_it_again(
    territory_a: Territory, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    minor, made, entry = _minor_with_badge(territory_a, django_capture_on_commit_callbacks)
    consent = GuardianConsent.objects.create(
        user=minor, guardian_email="parent@example.org", last_sent_at=timezone.now()
    )
    confirm_consent(consent=consent)
    client = _network_as(minor)
    assert client.post(f"/backpack/{entry.pk}/sharing/", {"public": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.is_public
    anonymous = HostClient("localhost")
    assert anonymous.get(f"/backpack/shared/{entry.share_token}/").status_code == 200
    assert client_for(territory_a).get(f"/ob/v2/assertions/{made.uuid}").status_code == 200

    old_token = entry.share_token
    withdraw_consent(consent=consent)
    entry.refresh_from_db()
    assert not entry.is_public and entry.share_token != old_token
    assert anonymous.get(f"/backpack/shared/{old_token}/").status_code == 404
    assert client_for(territory_a).get(f"/badges/awards/{made.uuid}/").status_code == 404


def test_public_share_hidden_at_read_time_even_if_flag_left_on(
    territory_a: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    _minor, _made, entry = _minor_with_badge(territory_a, django_capture_on_commit_callbacks)
    BackpackEntry.objects.filter(pk=entry.pk).update(is_public=True)
    assert HostClient("localhost").get(f"/backpack/shared/{entry.share_token}/").status_code == 404


def test_restriction_is_per_account_not_per_territory(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """An adult's badges in borealis stay public while a minor in aurora is restricted;
    the minor's aurora award is not served from borealis's host either."""
    _minor, made, _entry = _minor_with_badge(territory_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_b):
        adult_award = award(territory_b, make_badge(territory_b, "Adult"), "bea@example.org")
    # An award's page is public once its owner shares it (issue 16, item 9).
    bea = User.objects.get(email="bea@example.org")
    entry = BackpackEntry.objects.get(award_uuid=adult_award.uuid)
    set_sharing(user=bea, entry_id=entry.pk, public=True)
    other = client_for(territory_b)
    assert other.get(f"/badges/awards/{adult_award.uuid}/").status_code == 200
    assert other.get(f"/badges/awards/{made.uuid}/").status_code == 404


def test_restricted_minor_never_shares_their_address_with_a_provider(
    territory_a: Territory,
) -> None:
    from django_tenants.utils import tenant_context

    from tenant_apps.catalogue.actions import mark_interested
    from tenant_apps.catalogue.models import InterestedLearner
    from tests.tenant_apps.catalogue.factories import make_activity, make_provider

    minor = make_learner("teen@example.org", just_turned(13), territory_a)
    activity = make_activity(territory_a, make_provider(territory_a, "Club"), "Chess")
    consent = GuardianConsent.objects.create(user=minor, guardian_email="parent@example.org")
    with tenant_context(territory_a):
        mark_interested(user=minor, activity=activity, share_contact=True, point=None)
        assert not InterestedLearner.objects.get(user_id=minor.pk).share_contact
    confirm_consent(consent=consent)
    minor = type(minor).objects.get(pk=minor.pk)
    with tenant_context(territory_a):
        mark_interested(user=minor, activity=activity, share_contact=True, point=None)
        assert InterestedLearner.objects.get(user_id=minor.pk).share_contact
    withdraw_consent(consent=consent)
    with tenant_context(territory_a):
        assert not InterestedLearner.objects.get(user_id=minor.pk).share_contact


def test_the_verifier_does_not_reveal_a_restricted_award(
    territory_a: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    from tenant_apps.badges import identity
    from tenant_apps.badges.verification import fetch

    _minor, made, _entry = _minor_with_badge(territory_a, django_capture_on_commit_callbacks)
    assert fetch(identity.ob2_assertion_url(territory_a, made)).status == 404
    assert fetch(identity.ob3_credential_url(territory_a, made)).status == 404
