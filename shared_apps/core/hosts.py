"""Absolute links between the network site and territory sites.

Built from the current request's scheme and port, so links work the same on
localhost:8000 in development and on https behind a proxy in production.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port


def site_url(request: HttpRequest, host: str, path: str = "/") -> str:
    _domain, port = split_domain_port(request.get_host())
    return f"{request.scheme}://{host}{':' + port if port else ''}{path}"


def network_url(request: HttpRequest, path: str = "/") -> str:
    return site_url(request, settings.PLATFORM_DOMAIN, path)
