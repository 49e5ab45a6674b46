"""Language: territory default, visitor's choice remembered, only offered languages."""

from collections.abc import Callable

from django.test import Client

from shared_apps.accounts.models import User
from tenants.models import Territory
from tests.conftest import ClientFor


def test_territory_default_language(
    territory_a: Territory, territory_b: Territory, client_for: ClientFor
) -> None:
    page_a = client_for(territory_a).get("/")
    assert page_a["Content-Language"] == "lt"
    assert '<html lang="lt"' in page_a.content.decode()
    page_b = client_for(territory_b).get("/")
    assert '<html lang="sl"' in page_b.content.decode()


def test_switch_language_is_remembered(territory_a: Territory, client_for: ClientFor) -> None:
    client = client_for(territory_a)
    lithuanian = client.get("/").content.decode()
    response = client.get("/i18n/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    english = client.get("/").content.decode()
    assert '<html lang="en"' in english
    assert "Find what you love to learn in Aurora" in english
    assert lithuanian != english
    assert "Find what you love to learn in Aurora" not in lithuanian


def test_language_not_offered_is_refused(territory_a: Territory, client_for: ClientFor) -> None:
    response = client_for(territory_a).post("/i18n/language/", {"language": "sl"})
    assert response.status_code == 400


def test_language_cookie_of_unoffered_language_falls_back(
    territory_a: Territory, client_for: ClientFor
) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "fi"
    assert client.get("/")["Content-Language"] == "lt"


def test_signed_in_choice_is_stored_on_the_account(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("ada"))
    client.post("/i18n/language/", {"language": "en"})
    assert user("ada").preferred_language == "en"
    # Another device without the cookie gets the account's language.
    other_device = client_for(territory_a)
    other_device.sign_in(user("ada"))
    assert other_device.get("/")["Content-Language"] == "en"


def test_open_redirect_is_refused(territory_a: Territory, client_for: ClientFor) -> None:
    response = client_for(territory_a).post(
        "/i18n/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_network_site_follows_the_browser(db: None) -> None:
    response = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="fi").get("/")
    assert response["Content-Language"] == "fi"
    response = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="ja").get("/")
    assert response["Content-Language"] == "en"


def test_switcher_is_a_list_of_links_in_their_own_language(
    territory_a: Territory, client_for: ClientFor
) -> None:
    page = client_for(territory_a).get("/").content.decode()
    assert 'href="/i18n/language/?language=en&amp;next=/"' in page
    assert 'lang="lt" hreflang="lt" aria-current="true">Lietuviškai' in page
    assert 'name="csrfmiddlewaretoken"' not in page  # visitors get no CSRF cookie


def test_post_also_switches(territory_a: Territory, client_for: ClientFor) -> None:
    client = client_for(territory_a)
    assert client.post("/i18n/language/", {"language": "en"}).status_code == 302
    assert client.get("/")["Content-Language"] == "en"
