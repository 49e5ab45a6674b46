"""Proxy headers are believed only from TRUSTED_PROXIES (shared_apps/core/security.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from shared_apps.accounts.models import User
from shared_apps.core.security import TrustedProxyMiddleware
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient

HEADERS = {
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "203.0.113.9",
    "HTTP_X_FORWARDED_HOST": "evil.example",
    "HTTP_X_REAL_IP": "203.0.113.9",
}


def seen(peer: str) -> HttpRequest:
    captured: list[HttpRequest] = []

    def view(request: HttpRequest) -> HttpResponse:
        captured.append(request)
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=peer, **HEADERS)  # type: ignore[arg-type]
    TrustedProxyMiddleware(view)(request)
    return captured[0]


def test_headers_from_anyone_are_not_believed() -> None:
    request = seen("198.51.100.7")
    assert request.scheme == "http" and not request.is_secure()
    assert "HTTP_X_FORWARDED_HOST" not in request.META
    # The client's address is the peer's own, whatever it claimed.
    assert request.META["HTTP_X_FORWARDED_FOR"] == "198.51.100.7"
    assert request.META["HTTP_X_REAL_IP"] == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32", "10.0.0.0/8"])
def test_a_configured_proxy_is_believed() -> None:
    request = seen("10.1.2.3")
    assert request.is_secure()
    assert request.META["HTTP_X_FORWARDED_FOR"] == "203.0.113.9"
    assert not seen("192.0.2.1").is_secure()
    assert not seen("not an address").is_secure()


# Every HTML response: pages of both kinds of site, an error page, allauth's, the admin
# and Swagger UI, signed in or not.
HTML_PAGES = [
    ("network", "/"),
    ("network", "/accounts/login/"),
    ("network", "/admin/login/"),
    ("network", "/no-such-page/"),
    ("territory", "/"),
    ("territory", "/accounts/login/"),
    ("territory", "/accounts/signup/"),
    ("territory", "/accounts/password/reset/"),
    ("territory", "/api/docs/"),
    ("territory", "/activities/"),
    ("territory", "/manage/"),
    ("territory", "/no-such-page/"),
]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def test_every_html_response_carries_a_strict_policy(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    anonymous = {"network": HostClient("localhost"), "territory": client_for(territory_a)}
    admin = client_for(territory_a)
    admin.sign_in(user("anna"))
    clients = [anonymous, {"network": HostClient("localhost"), "territory": admin}]
    for by_site in clients:
        for site, path in HTML_PAGES:
            response = by_site[site].get(path)
            assert response["Content-Type"].startswith("text/html"), (site, path)
            policy = directives(response["Content-Security-Policy"])
            assert policy["script-src"] == ["'self'"], (site, path)
            assert policy["object-src"] == ["'none'"]
            assert policy["base-uri"] == ["'none'"]
            assert policy["frame-ancestors"] == ["'none'"]
            assert policy["form-action"][0] == "'self'"
            assert "'unsafe-inline'" not in policy["default-src"]
            # No inline script left on the page either (json_script data is not run).
            body = response.content.decode()
            for tag in re.findall(r"<script\b[^>]*>", body):
                assert (
                    "src=" in tag
                    or 'type="application/json"' in tag
                    or ('type="application/ld+json"' in tag)
                ), (site, path, tag)
            assert not re.search(r"\son[a-z]+=", body), (site, path)


def test_swagger_ui_script_is_a_file(territory_a: Territory, client_for: ClientFor) -> None:
    client = client_for(territory_a)
    page = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page)
    assert script is not None
    response = client.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()
