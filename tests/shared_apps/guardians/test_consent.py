"""Sign-up by age, the guardian's link (expiry, tampering, resending), withdrawal."""

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.guardians.models import AgeRecord, GuardianConsent
from shared_apps.guardians.selectors import is_restricted
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.shared_apps.guardians.factories import (
    PASSWORD,
    just_turned,
    make_learner,
    turning_this_month,
)

pytestmark = pytest.mark.django_db


def _signup(client: HostClient, email: str, birth: tuple[int, int]) -> User:
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Kim",
            "birth_year": str(birth[0]),
            "birth_month": str(birth[1]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(email=email)


@pytest.mark.parametrize(
    ("slug", "age", "restricted"),
    [
        ("aurora", 14, False),  # LT: 14
        ("aurora", 13, True),
        ("borealis", 15, False),  # SI: 15
        ("borealis", 14, True),
    ],
)
def test_signup_applies_the_consent_age_of_the_territory_country(
    client_for: ClientFor, slug: str, age: int, restricted: bool
) -> None:
    territory = Territory.objects.get(slug=slug)
    user = _signup(client_for(territory), "teen@example.org", just_turned(age))
    record = AgeRecord.objects.get(user=user)
    assert record.country == territory.country.code
    assert is_restricted(user) is restricted


def test_birthday_month_itself_is_still_below_the_age(client_for: ClientFor) -> None:
    territory = Territory.objects.get(slug="aurora")
    user = _signup(client_for(territory), "teen@example.org", turning_this_month(14))
    assert is_restricted(user)


def test_network_site_uses_the_default_age(network_client: HostClient) -> None:
    user = _signup(network_client, "teen@example.org", just_turned(15))
    assert AgeRecord.objects.get(user=user).consent_age == 16
    assert is_restricted(user)
    adult = _signup(network_client, "older@example.org", just_turned(16))
    assert not is_restricted(adult)


def test_signup_stores_only_year_and_month_and_requires_them(
    territory_a: Territory, client_for: ClientFor
) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert 'name="birth_year"' in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()
    fields = {f.name for f in AgeRecord._meta.get_fields()}
    assert "birth_day" not in fields and "birth_date" not in fields
    too_young = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "birth_year": str(just_turned(9)[0]),
            "birth_month": str(just_turned(9)[1]),
        },
    )
    assert too_young.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.fixture
def ask_guardian(django_capture_on_commit_callbacks: Any) -> Callable[..., str]:
    def ask(client: HostClient, guardian: str = "parent@example.org") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/account/", {"action": "guardian", "guardian_email": guardian})
        assert response.status_code == 302, response.content.decode()[:3000]
        return _link_to(guardian)

    return ask


def _link_to(guardian: str) -> str:
    message = mail.outbox[-1]
    assert message.to == [guardian]
    link = re.search(r"http://[^\s]+/account/guardian/[^\s]+/", str(message.body))
    assert link is not None
    return link.group(0).split("localhost", 1)[1]


def _minor_client(territory: Territory, client_for: ClientFor) -> tuple[User, HostClient]:
    minor = make_learner("teen@example.org", just_turned(13), territory)
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    client.sign_in(minor)
    return minor, client


def test_guardian_confirms_then_withdraws(
    territory_a: Territory, client_for: ClientFor, ask_guardian: Callable[..., str]
) -> None:
    minor, client = _minor_client(territory_a, client_for)
    assert "nothing of yours is shown publicly" in client.get("/account/").content.decode()
    path = ask_guardian(client)
    consent = GuardianConsent.objects.get(user=minor)
    # Stored minimally: the address (to write to) and a digest; nothing else.
    assert consent.guardian_email == "parent@example.org"
    assert is_restricted(User.objects.get(pk=minor.pk))

    guardian = client_for(territory_a)
    guardian.cookies["django_language"] = "en"
    page = guardian.get(path).content.decode()
    assert "teen@example.org" in page and "What you consent to" in page
    assert guardian.post(path, {"action": "confirm"}).status_code == 302
    assert not is_restricted(User.objects.get(pk=minor.pk))
    assert AuditEntry.objects.filter(action="guardians.consent_confirmed").exists()
    assert "parent@example.org" not in str(
        list(AuditEntry.objects.values_list("details", "target_id"))
    )

    assert guardian.post(path, {"action": "withdraw"}).status_code == 302
    assert is_restricted(User.objects.get(pk=minor.pk))
    assert GuardianConsent.objects.get(user=minor).status == "withdrawn"


def test_tampered_and_expired_links_do_not_work(
    territory_a: Territory,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
    ask_guardian: Callable[..., str],
) -> None:
    minor, client = _minor_client(territory_a, client_for)
    path = ask_guardian(client)
    guardian = client_for(territory_a)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert guardian.post(tampered, {"action": "confirm"}).status_code == 404
    real_time = time.time
    monkeypatch.setattr("django.core.signing.time.time", lambda: real_time() + 15 * 86400)
    assert guardian.post(path, {"action": "confirm"}).status_code == 404
    monkeypatch.setattr("django.core.signing.time.time", lambda: real_time() + 13 * 86400)
    assert guardian.get(path).status_code == 200
    assert is_restricted(User.objects.get(pk=minor.pk))


def test_resend_is_rate_limited_and_a_new_guardian_voids_old_links(
    territory_a: Territory, client_for: ClientFor, ask_guardian: Callable[..., str]
) -> None:
    minor, client = _minor_client(territory_a, client_for)
    first = ask_guardian(client)
    again = client.post("/account/", {"action": "guardian", "guardian_email": "parent@example.org"})
    assert again.status_code == 400
    assert "Wait a minute" in again.content.decode()
    GuardianConsent.objects.filter(user=minor).update(last_sent_at=None)
    second = ask_guardian(client)
    guardian = client_for(territory_a)
    assert guardian.get(first).status_code == 200  # a resend keeps earlier links valid
    GuardianConsent.objects.filter(user=minor).update(last_sent_at=None)
    other = ask_guardian(client, "other.parent@example.org")
    assert guardian.get(first).status_code == 404
    assert guardian.get(second).status_code == 404
    assert guardian.get(other).status_code == 200


def test_own_address_is_refused_as_guardian(territory_a: Territory, client_for: ClientFor) -> None:
    _minor, client = _minor_client(territory_a, client_for)
    response = client.post(
        "/account/", {"action": "guardian", "guardian_email": "teen@example.org"}
    )
    assert response.status_code == 400
    assert not GuardianConsent.objects.exists()


def test_adults_are_not_asked_for_a_guardian(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    adult = make_learner("grown@example.org", just_turned(30), territory_a)
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(adult)
    page = client.get("/account/").content.decode()
    assert "guardian_email" not in page
    response = client.post("/account/", {"action": "guardian", "guardian_email": "p@example.org"})
    assert response.status_code == 400
    assert not GuardianConsent.objects.exists()
    # Accounts from before ages were asked are not restricted.
    assert not is_restricted(user("ada"))


def test_guardian_gets_a_fresh_link_by_typing_their_address(
    territory_a: Territory,
    client_for: ClientFor,
    ask_guardian: Callable[..., str],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    minor, client = _minor_client(territory_a, client_for)
    old = ask_guardian(client)
    real_time = time.time
    monkeypatch.setattr("django.core.signing.time.time", lambda: real_time() + 30 * 86400)
    guardian = client_for(territory_a)
    guardian.cookies["django_language"] = "en"
    assert "new link" in guardian.get(old).content.decode()
    GuardianConsent.objects.filter(user=minor).update(last_sent_at=None)
    sent_before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = guardian.post("/account/guardian/", {"guardian_email": "nobody@example.org"})
    assert unknown.status_code == 302 and len(mail.outbox) == sent_before
    with django_capture_on_commit_callbacks(execute=True):
        known = guardian.post("/account/guardian/", {"guardian_email": "Parent@Example.org"})
    assert known.status_code == 302 and len(mail.outbox) == sent_before + 1
    fresh = _link_to("parent@example.org")
    assert guardian.post(fresh, {"action": "confirm"}).status_code == 302
    assert not is_restricted(User.objects.get(pk=minor.pk))


def test_signup_and_account_pages_have_labels_on_both_kinds_of_site(
    territory_a: Territory, client_for: ClientFor, network_client: HostClient
) -> None:
    for client in (client_for(territory_a), network_client):
        client.cookies["django_language"] = "en"
        page = client.get("/accounts/signup/").content.decode()
        assert '<label for="id_birth_year"' in page
        assert '<label for="id_birth_month"' in page
        assert client.get("/account/").status_code == 302  # signed-out: to sign-in
    minor = make_learner("teen@example.org", just_turned(13))
    network_client.sign_in(minor)
    page = network_client.get("/account/").content.decode()
    assert '<label for="id_guardian_email"' in page and '<label for="id_confirm"' in page
    assert page.index("<h1") < page.index("<h2")
    assert 'href="/account/my-data.json"' in page
