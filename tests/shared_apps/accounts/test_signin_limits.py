"""Failed sign-ins are counted per account across the whole network (and per client
address), with email and password or with a code card; a class behind one school
address is not stopped before each account's own limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.test import override_settings

from shared_apps.accounts.models import User
from shared_apps.guardians import cards
from shared_apps.guardians.models import CodeCard
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient

RIGHT = "right horse battery"
TOO_MANY = "Too many failed login attempts"
WRONG = "not correct"
# Fast hashing: every attempt, failed or not, hashes a password once.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(autouse=True)
def _fast_hashing() -> Iterator[None]:
    with FAST_HASHER:
        yield


def _account(email: str) -> User:
    user = User.objects.create_user(email, RIGHT)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _english(client: HostClient) -> HostClient:
    client.cookies["django_language"] = "en"
    return client


def _sign_in(client: HostClient, email: str, password: str) -> str:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code in (200, 302), response.status_code
    return response.content.decode()


def test_attempts_on_two_territories_and_the_network_site_share_one_limit(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    network_client: HostClient,
) -> None:
    _account("target@example.org")
    sites = [
        _english(client_for(territory_a)),
        _english(client_for(territory_b)),
        _english(network_client),
    ]
    # Five wrong guesses, spread over the three sites: each is just "wrong".
    for attempt in range(5):
        assert WRONG in _sign_in(sites[attempt % 3], "TARGET@example.org", "guess")
    # The account's allowance is spent on every site, even with the right password.
    for site in sites:
        assert TOO_MANY in _sign_in(site, "target@example.org", RIGHT)


def test_a_class_behind_one_address_meets_only_its_own_account_limits(
    territory_a: Territory, client_for: ClientFor
) -> None:
    pupils = [_account(f"pupil{n}@example.org").email for n in range(30)]
    room = _english(client_for(territory_a))  # one client: one address for all of them
    for email in pupils:
        for _guess in range(5):
            page = _sign_in(room, email, "forgot it")
            assert WRONG in page and TOO_MANY not in page
    # 150 failures from the address: only each account's own limit has bitten.
    assert TOO_MANY in _sign_in(room, pupils[0], "forgot it")
    other = _account("late@example.org").email
    response = room.post("/accounts/login/", {"login": other, "password": RIGHT})
    assert response.status_code == 302


def test_code_card_sign_in_is_limited_per_account_across_territories(
    territory_a: Territory, territory_b: Territory, client_for: ClientFor, user: object
) -> None:
    batch = cards.create_cards(territory=territory_a, count=1, label="", acting_user=None)
    card = CodeCard.objects.select_related("user").get(batch=batch)
    card.user.set_password("blue kites over the river")
    card.user.save(update_fields=["password"])

    def card_sign_in(territory: Territory, passphrase: str) -> str:
        client = _english(client_for(territory))
        response = client.post(
            "/account/card/sign-in/", {"code": card.code, "passphrase": passphrase}
        )
        return response.content.decode() if response.status_code != 302 else "signed in"

    assert card_sign_in(territory_a, "blue kites over the river") == "signed in"
    for attempt in range(5):
        page = card_sign_in(territory_a if attempt % 2 else territory_b, "red kites")
        assert "The code or the passphrase is wrong." in page
    # Spent for the card's account, on both territories and with the email form too.
    assert TOO_MANY in card_sign_in(territory_a, "blue kites over the river")
    assert TOO_MANY in card_sign_in(territory_b, "blue kites over the river")
    email_form = _english(client_for(territory_b))
    assert TOO_MANY in _sign_in(email_form, card.user.email, "blue kites over the river")
