"""One sign-in across the network: the hop through the network site, end to end with
one test client per host (host-only cookies, as a browser keeps them), and every way
a token or a redirect target can be abused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import signing
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.accounts import sso
from shared_apps.accounts.models import Membership, SignOnTokenUse, User
from tenants.models import Domain, Territory
from tests.conftest import PASSWORD, HostClient

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
HTML: dict[str, Any] = {
    "HTTP_ACCEPT": "text/html,application/xhtml+xml",
    "HTTP_USER_AGENT": BROWSER_UA,
}


class Browser:
    """One browser: a cookie jar per host (host-only cookies), redirects followed
    across hosts."""

    def __init__(self) -> None:
        self.clients: dict[str, HostClient] = {}
        self.visited: list[str] = []

    def client(self, host: str) -> HostClient:
        if host not in self.clients:
            territory = None if host == "localhost" else sso.territory_for_host(host)
            self.clients[host] = HostClient(host, territory)
        return self.clients[host]

    def get(self, url: str, max_redirects: int = 12) -> tuple[str, int, str]:
        """Follow ``url`` to its end: (final URL, status, body)."""
        for _ in range(max_redirects):
            self.visited.append(url)
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = self.client(parts.hostname or "").get(path, **HTML)
            if response.status_code not in (301, 302):
                return url, response.status_code, response.content.decode()
            location = response["Location"]
            url = location if "://" in location else f"http://{parts.hostname}{location}"
        raise AssertionError(f"redirect loop: {self.visited[-6:]}")

    def sign_in(self, host: str, email: str, path: str = "/") -> str:
        login = "/accounts/login/?" + urlencode({"next": path})
        client = self.client(host)
        # The sign-in page itself first (it asks the network site, nobody is there).
        self.get(f"http://{host}{login}")
        response = client.post(login, {"login": email, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return self.get(response["Location"])[0]

    def user_on(self, host: str) -> int | None:
        client = self.client(host)
        territory = client.territory
        session = client.session
        if territory is not None:
            with tenant_context(territory):
                return _user_id(client)
        return _user_id(client) if session is not None else None


def _user_id(client: HostClient) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def _signed_in_as(browser: Browser, host: str, path: str = "/") -> int | None:
    """Visit ``path`` on ``host`` and say who the host's own session belongs to."""
    browser.get(f"http://{host}{path}")
    return browser.user_on(host)


def test_sign_in_on_a_then_b_and_the_backpack_need_no_password(
    territory_a: Territory, territory_b: Territory, user: object
) -> None:
    bea = User.objects.get(email="bea@example.org")
    Membership.objects.create(user=bea, territory=territory_a, role="learner")
    browser = Browser()

    final = browser.sign_in(territory_a.host, bea.email, "/badges/")
    assert final == f"http://{territory_a.host}/badges/"
    # The hop gave the network site the session too...
    assert browser.user_on("localhost") == bea.pk
    assert any(url.startswith("http://localhost/accounts/sso/accept/") for url in browser.visited)
    # ...so territory B (where bea is a member) signs her in on arrival,
    assert _signed_in_as(browser, territory_b.host, "/badges/") == bea.pk
    # and the backpack on the network site opens without a sign-in page.
    url, status, _body = browser.get("http://localhost/backpack/")
    assert (url, status) == ("http://localhost/backpack/", 200)
    # Session cookies stay host-only: each host holds its own, different session.
    keys = {host: c.cookies["sessionid"].value for host, c in browser.clients.items()}
    assert len(set(keys.values())) == len(keys) == 3
    for client in browser.clients.values():
        assert client.cookies["sessionid"]["domain"] == ""


def test_sign_in_on_the_network_site_then_a_territory(territory_a: Territory, user: object) -> None:
    browser = Browser()
    network = browser.client("localhost")
    response = network.post("/accounts/login/", {"login": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert (
        _signed_in_as(browser, territory_a.host, "/")
        == User.objects.get(email="ada@example.org").pk
    )


def test_a_visitor_is_not_sent_round_in_circles(territory_a: Territory) -> None:
    browser = Browser()
    url, status, _ = browser.get(f"http://{territory_a.host}/")
    assert (url, status) == (f"http://{territory_a.host}/", 200)
    # One hop (the page, the network site, back, the page), then the answer is kept.
    assert len(browser.visited) == 4
    browser.visited.clear()
    browser.get(f"http://{territory_a.host}/badges/")
    assert browser.visited == [f"http://{territory_a.host}/badges/"]
    assert browser.user_on(territory_a.host) is None


def test_a_browser_without_cookies_is_not_looped(territory_a: Territory) -> None:
    client = HostClient(territory_a.host, territory_a)
    network = HostClient("localhost")
    first = client.get("/", **HTML)
    assert first.status_code == 302
    back = network.get(urlsplit(first["Location"]).path + "?" + urlsplit(first["Location"]).query)
    client.cookies.clear()  # it keeps none
    final = client.get(urlsplit(back["Location"]).path + "?" + urlsplit(back["Location"]).query)
    assert final["Location"] == "/?sso=0"
    assert client.get("/?sso=0", **HTML).status_code == 200


def test_arriving_signs_in_only_where_the_account_is_a_member(
    territory_a: Territory, territory_b: Territory, user: object
) -> None:
    """Isolation: ada (learner in A) is not given a role in B by arriving there, and
    anna's admin role in A does not follow her to B."""
    browser = Browser()
    browser.sign_in(territory_a.host, "anna@example.org")
    anna = User.objects.get(email="anna@example.org")
    assert _signed_in_as(browser, territory_b.host, "/") is None
    assert not Membership.objects.filter(user=anna, territory=territory_b).exists()
    # Choosing "Sign in" on B signs her in without a password, as a learner only.
    url, status, _ = browser.get(f"http://{territory_b.host}/accounts/login/?next=/badges/")
    assert (url, status) == (f"http://{territory_b.host}/badges/", 200)
    assert browser.user_on(territory_b.host) == anna.pk
    membership = Membership.objects.get(user=anna, territory=territory_b)
    assert membership.role == Membership.Role.LEARNER
    assert browser.client(territory_b.host).get("/manage/").status_code == 403


def test_signing_out_on_one_host_signs_out_everywhere(
    territory_a: Territory, territory_b: Territory, user: object
) -> None:
    bea = User.objects.get(email="bea@example.org")
    Membership.objects.create(user=bea, territory=territory_a, role="learner")
    browser = Browser()
    browser.sign_in(territory_a.host, bea.email)
    assert _signed_in_as(browser, territory_b.host) == bea.pk

    response = browser.client(territory_b.host).post("/accounts/logout/")
    assert response.status_code == 302
    for host in (territory_a.host, "localhost"):
        response = browser.client(host).get(
            "/backpack/" if host == "localhost" else "/badges/mine/"
        )
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    # And arriving again does not bring the session back.
    browser.client(territory_a.host).cookies.pop("sso_checked", None)
    assert _signed_in_as(browser, territory_a.host) is None


def _issue(browser: Browser, consumer: str, *, state: str = "s1", join: bool = False) -> str:
    """A token for ``consumer`` from the signed-in network session (step 2)."""
    params = {"for": consumer, "state": state, "next": "/"}
    if join:
        params["join"] = "1"
    response = browser.client("localhost").get("/accounts/sso/issue/?" + urlencode(params))
    assert response.status_code == 302
    token = parse_qs(urlsplit(response["Location"]).query).get("token", [""])[0]
    assert token
    return token


def _accept(client: HostClient, token: str, state: str = "s1") -> int:
    client.cookies["sso_state"] = state
    return client.get(
        "/accounts/sso/accept/?" + urlencode({"token": token, "next": "/"})
    ).status_code


@pytest.fixture
def ada_on_network(user: object) -> Browser:
    browser = Browser()
    browser.client("localhost").force_login(User.objects.get(email="ada@example.org"))
    return browser


def test_a_token_works_once(ada_on_network: Browser, territory_a: Territory) -> None:
    token = _issue(ada_on_network, territory_a.host)
    first = HostClient(territory_a.host, territory_a)
    assert _accept(first, token) == 302
    with tenant_context(territory_a):
        assert _user_id(first) is not None
    replay = HostClient(territory_a.host, territory_a)
    assert _accept(replay, token) == 400
    with tenant_context(territory_a):
        assert _user_id(replay) is None
    # (Filtered: browser tests against gunicorn commit uses of their own tokens.)
    nonce = signing.loads(token, salt=sso.SALT)["n"]
    assert SignOnTokenUse.objects.filter(nonce=nonce).count() == 1


def test_an_expired_token_is_refused(ada_on_network: Browser, territory_a: Territory) -> None:
    token = _issue(ada_on_network, territory_a.host)
    client = HostClient(territory_a.host, territory_a)
    with override_settings(SSO_TOKEN_SECONDS=-1):
        assert _accept(client, token) == 400
    with tenant_context(territory_a):
        assert _user_id(client) is None


def test_a_tampered_token_is_refused(ada_on_network: Browser, territory_a: Territory) -> None:
    token = _issue(ada_on_network, territory_a.host)
    payload = signing.loads(token, salt=sso.SALT)
    payload["u"] = User.objects.get(email="anna@example.org").pk
    forged = signing.dumps(payload, salt="another salt")
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (forged, tampered, "junk"):
        client = HostClient(territory_a.host, territory_a)
        assert _accept(client, bad) == 400
        with tenant_context(territory_a):
            assert _user_id(client) is None


def test_a_token_for_host_a_is_refused_on_host_b(
    ada_on_network: Browser, territory_a: Territory, territory_b: Territory
) -> None:
    token = _issue(ada_on_network, territory_a.host, join=True)
    client = HostClient(territory_b.host, territory_b)
    assert _accept(client, token) == 400
    with tenant_context(territory_b):
        assert _user_id(client) is None
    # ...and on the network site.
    assert _accept(HostClient("localhost"), token) == 400


def test_a_token_is_refused_in_another_browser(
    ada_on_network: Browser, territory_a: Territory
) -> None:
    """Login CSRF: a token made for someone's browser (its state cookie) does not sign
    another browser in."""
    token = _issue(ada_on_network, territory_a.host, state="mine")
    assert _accept(HostClient(territory_a.host, territory_a), token, state="theirs") == 400


def test_signing_out_everywhere_voids_tokens_not_used_yet(
    ada_on_network: Browser, territory_a: Territory
) -> None:
    token = _issue(ada_on_network, territory_a.host)
    from shared_apps.accounts.actions import sign_out_everywhere

    sign_out_everywhere(user=User.objects.get(email="ada@example.org"))
    assert _accept(HostClient(territory_a.host, territory_a), token) == 400


@pytest.mark.parametrize(
    "target",
    [
        "http://evil.example/",
        "//evil.example/",
        "http://evil.example@localhost/",
        "https://aurora.localhost/",  # another scheme than the platform's
        "http://aurora.localhost:9999/",  # another port
        "http://localhost.evil.example/",
        "http://unverified.example.org/",
        "javascript:alert(1)",
    ],
)
def test_open_redirects_are_refused(
    ada_on_network: Browser, territory_a: Territory, target: str
) -> None:
    Domain.objects.create(domain="unverified.example.org", tenant=territory_a, is_verified=False)
    network = ada_on_network.client("localhost")
    issue = network.get("/accounts/sso/issue/?" + urlencode({"for": target, "state": "s"}))
    assert issue.status_code == 400
    start = network.get(
        "/accounts/sso/start/?" + urlencode({"from": territory_a.host, "next": target})
    )
    assert start.status_code == 400
    # A territory's accept goes to its own paths only.
    token = _issue(ada_on_network, territory_a.host)
    client = HostClient(territory_a.host, territory_a)
    client.cookies["sso_state"] = "s1"
    accepted = client.get("/accounts/sso/accept/?" + urlencode({"token": token, "next": target}))
    assert accepted.status_code == 302
    assert accepted["Location"] == "/"


def test_a_territory_issues_tokens_for_the_network_site_only(
    territory_a: Territory, territory_b: Territory, client_for: object, user: object
) -> None:
    client = HostClient(territory_a.host, territory_a)
    client.sign_in(User.objects.get(email="ada@example.org"))
    response = client.get(
        "/accounts/sso/issue/?" + urlencode({"for": territory_b.host, "state": "s", "next": "/"})
    )
    assert response.status_code == 400


def test_custom_domains_take_part(territory_a: Territory, user: object) -> None:
    Domain.objects.create(
        domain="learn.aurora.example",
        tenant=territory_a,
        is_verified=True,
        verified_at=timezone.now(),
    )
    browser = Browser()
    browser.client("localhost").force_login(User.objects.get(email="ada@example.org"))
    assert (
        _signed_in_as(browser, "learn.aurora.example", "/")
        == User.objects.get(email="ada@example.org").pk
    )
    # A sign-in typed on the custom domain hands the session to the network site too.
    other = Browser()
    other.sign_in("learn.aurora.example", "alan@example.org")
    assert other.user_on("localhost") == User.objects.get(email="alan@example.org").pk


def test_old_used_tokens_are_forgotten(ada_on_network: Browser, territory_a: Territory) -> None:
    SignOnTokenUse.objects.create(nonce="old", used_at=timezone.now() - timedelta(hours=1))
    _accept(HostClient(territory_a.host, territory_a), _issue(ada_on_network, territory_a.host))
    assert not SignOnTokenUse.objects.filter(nonce="old").exists()


def test_the_network_site_takes_nothing_from_a_territory_signed_out(
    territory_a: Territory,
) -> None:
    browser = Browser()
    next_url = f"http://{territory_a.host}/badges/"
    start = "http://localhost/accounts/sso/start/?" + urlencode(
        {"from": territory_a.host, "next": next_url}
    )
    url, status, _body = browser.get(start)
    assert (url, status) == (next_url, 200)
    assert browser.user_on("localhost") is None


@pytest.mark.parametrize(
    "agent", ["", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"]
)
def test_crawlers_get_the_page_without_a_round_trip(territory_a: Territory, agent: str) -> None:
    client = HostClient(territory_a.host, territory_a)
    headers = {**HTML, "HTTP_USER_AGENT": agent}
    assert client.get("/", **headers).status_code == 200


def test_the_round_trip_is_never_cached_for_others(territory_a: Territory) -> None:
    response = HostClient(territory_a.host, territory_a).get("/", **HTML)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
