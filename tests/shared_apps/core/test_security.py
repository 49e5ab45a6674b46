"""Proxy headers are believed only from TRUSTED_PROXIES (shared_apps/core/security.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from shared_apps.core.security import TrustedProxyMiddleware

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
