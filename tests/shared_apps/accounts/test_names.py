"""People have names: asked at sign-up, editable, shown to staff, public only for
adults on a page they shared."""

import json
from collections.abc import Callable

from django.contrib.messages import get_messages

from shared_apps.accounts import data_rights
from shared_apps.accounts.models import User
from shared_apps.backpack.models import BackpackEntry
from shared_apps.guardians.actions import confirm_consent
from shared_apps.guardians.models import GuardianConsent
from shared_apps.guardians.selectors import public_name
from tenants.models import Territory
from tests.conftest import PASSWORD, ClientFor, HostClient
from tests.shared_apps.guardians.factories import just_turned, make_learner
from tests.tenant_apps.badges.factories import award, in_territory, make_badge

NEW_PASSWORD = "a long new pass phrase 2026"


def signup(client: HostClient, **extra: str):
    return client.post(
        "/accounts/signup/",
        {
            "email": "mia@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "birth_year": "1990",
            "birth_month": "5",
            **extra,
        },
    )


def test_signup_asks_what_to_call_you_and_keeps_it(
    territory_a: Territory, client_for: ClientFor
) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/signup/").content.decode()
    assert "What should we call you?" in page
    missing = signup(client)
    assert missing.status_code == 200
    assert not User.objects.filter(email="mia@example.org").exists()
    assert signup(client, display_name="  Mia   K ").status_code == 302
    assert User.objects.get(email="mia@example.org").display_name == "Mia K"


def test_signed_in_message_names_the_person_not_an_account_number(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    ada = user("ada")
    ada.display_name = "Ada L."
    ada.save()
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"login": ada.email, "password": PASSWORD})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Ada L." in text for text in texts), texts
    assert not any("account #" in text for text in texts)
    # The header's account menu carries the name too.
    assert "Ada L." in client.get("/").content.decode()


def test_the_name_is_editable_on_the_account_page_by_its_owner_only(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("ada"))
    assert client.post("/account/", {"action": "name", "display_name": "Adelė"}).status_code == 302
    assert user("ada").display_name == "Adelė"
    assert user("alan").display_name != "Adelė"
    blank = client.post("/account/", {"action": "name", "display_name": "   "})
    assert blank.status_code == 400
    assert user("ada").display_name == "Adelė"
    too_long = client.post("/account/", {"action": "name", "display_name": "x" * 41})
    assert too_long.status_code == 400
    # Anonymous visitors cannot set anyone's name.
    anonymous = client_for(territory_a)
    assert anonymous.post("/account/", {"action": "name", "display_name": "X"}).status_code == 302
    assert user("ada").display_name == "Adelė"


def test_the_name_is_exported_and_erased_with_the_account(user: Callable[[str], User]) -> None:
    ada = user("ada")
    ada.display_name = "Ada L."
    ada.save()
    exported = data_rights.export_user_data(ada)
    assert (
        json.loads(json.dumps(exported, default=data_rights.json_default))["account"][
            "display_name"
        ]
        == "Ada L."
    )
    data_rights.delete_account(ada, via="self")
    assert not User.objects.filter(display_name="Ada L.").exists()


def _shared_entry(territory: Territory, email: str, capture) -> BackpackEntry:
    with capture(execute=True), in_territory(territory):
        award(territory, make_badge(territory, "Named badge"), email)
    entry = BackpackEntry.objects.get(badge_name="Named badge")
    entry.is_public = True
    entry.save()
    return entry


def test_a_shared_badge_page_names_an_adult_earner(
    territory_a: Territory, django_capture_on_commit_callbacks
) -> None:
    adult = make_learner("grown@example.org", (1990, 5), territory_a)
    adult.display_name = "Grown Up"
    adult.save()
    entry = _shared_entry(territory_a, adult.email, django_capture_on_commit_callbacks)
    page = HostClient("localhost").get(f"/backpack/shared/{entry.share_token}/").content.decode()
    assert "Earned by Grown Up" in page


def test_a_minors_name_is_never_public_even_with_consent(
    territory_a: Territory, django_capture_on_commit_callbacks
) -> None:
    minor = make_learner("teen@example.org", just_turned(15), territory_a)
    minor.display_name = "Teen Name"
    minor.save()
    entry = _shared_entry(territory_a, minor.email, django_capture_on_commit_callbacks)
    # With a guardian's consent the badge page is public (the sharing is allowed)...
    confirm_consent(
        consent=GuardianConsent.objects.create(user=minor, guardian_email="parent@example.org")
    )
    response = HostClient("localhost").get(f"/backpack/shared/{entry.share_token}/")
    assert response.status_code == 200
    # ...but the child's name is not on it.
    assert "Teen Name" not in response.content.decode()
    assert public_name(minor.pk) == ""


def test_no_name_is_public_when_the_age_is_unknown(user: Callable[[str], User]) -> None:
    ada = user("ada")  # made before ages were asked: no age record
    ada.display_name = "Ada L."
    ada.save()
    assert public_name(ada.pk) == ""
    assert public_name(None) == ""
