"""Absolute links: to the network site, to a territory's site, in emails and documents.

Built from configuration only (PLATFORM_DOMAIN, a territory's primary domain,
PLATFORM_SCHEME, PLATFORM_PORT), never from the request's Host or X-Forwarded-*
headers: a visitor who sends ``Host: vilnius.localhost:1`` or ``X-Forwarded-Proto``
must not choose where a password-reset link, an invitation or a badge points.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request


class Site(Protocol):
    """What a link needs of a territory (tenants.models.Territory): its primary host.
    A protocol, so this bottom layer does not import the territories above it."""

    @property
    def host(self) -> str: ...


def origin(host: str) -> str:
    """``scheme://host[:port]`` for a host the platform serves."""
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    return f"{settings.PLATFORM_SCHEME}://{host}{port}"


def site_url(host: str, path: str = "/") -> str:
    return f"{origin(host)}{path}"


def network_url(path: str = "/") -> str:
    return site_url(settings.PLATFORM_DOMAIN, path)


def territory_url(territory: Site, path: str = "/") -> str:
    """On the territory's primary domain (its platform subdomain)."""
    return site_url(territory.host, path)


def absolute_url(request: HttpRequest | Request, path: str) -> str:
    """``path`` on the site that answered the request, at its configured address."""
    territory: Site | None = getattr(request, "territory", None)
    if territory is None:
        return network_url(path)
    return territory_url(territory, path)


def rebase(request: HttpRequest | Request, url: str) -> str:
    """A URL a library built from the request (allauth's email links), moved onto the
    configured address of the site that answered: only its path and query are kept."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if parts.fragment:
        path = f"{path}#{parts.fragment}"
    return absolute_url(request, path)
