"""Request and response hardening that every site shares."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from shared_apps.core.hosts import origin

Handler = Callable[[HttpRequest], HttpResponse]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What a reverse proxy says about the client. Anyone can send these headers; only a
# configured proxy's word is taken (Django's SECURE_PROXY_SSL_HEADER, allauth's
# TRUSTED_PROXY_COUNT and the metrics' "came through the proxy" check read them).
PROXY_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_FORWARDED",
)
# Client-address headers: from an untrusted peer, rewritten to the peer's address.
ADDRESS_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP")


@cache
def _trusted_networks(setting: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in setting)


def is_trusted_proxy(address: str) -> bool:
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in networks)


class TrustedProxyMiddleware:
    """Drops proxy headers unless the peer is one of TRUSTED_PROXIES (deploy/'s nginx).

    From anyone else, X-Forwarded-Proto/Host/Port and Forwarded are removed (so
    ``request.scheme`` is the connection's own) and X-Forwarded-For / X-Real-IP are
    replaced by the peer's address, which is what the proxy itself would have written: code that
    reads the client's address through the proxy then reads the real one, and the
    metrics endpoint still knows the request claimed to be proxied.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if not is_trusted_proxy(peer):
            for header in PROXY_HEADERS:
                meta.pop(header, None)
            for header in ADDRESS_HEADERS:
                if header in meta:
                    meta[header] = peer
        return self.get_response(request)


def _origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute URL template (map tiles, media), with
    ``{s}``-style subdomain placeholders widened to a wildcard."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    netloc = re.sub(r"^\{[a-z]+\}\.", "*.", parts.netloc)
    return f"{parts.scheme}://{netloc}"


def content_security_policy() -> str:
    """The policy of every page: scripts only from our own files (no inline script, no
    eval), no plugins, no <base>, never framed, forms only to our own hosts (and
    Stripe's pages, where checkout redirects after a POST)."""
    platform = origin(settings.PLATFORM_DOMAIN)
    territories = origin(f"*.{settings.PLATFORM_DOMAIN}")
    # Badge images of every territory show on the network site (the backpack).
    images = ["'self'", "data:", "blob:", platform, territories]
    for url in (settings.MAP_TILE_URL, settings.MEDIA_URL):
        found = _origin_of(url)
        if found:
            images.append(found)
    if getattr(settings, "S3_PUBLIC_BUCKET", ""):
        # Public uploads come from the bucket (or its CDN): any HTTPS image host.
        images.append("https:")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline style attributes and the branding's CSS variables (base.html); styles
        # cannot run code, scripts are what this policy shuts out.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": [
            "'self'",
            platform,
            territories,
            *settings.CSP_FORM_ACTION_EXTRA,
        ],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none of its own (evidence and other
    files served with a sandboxing policy keep theirs)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = content_security_policy()
        return response
