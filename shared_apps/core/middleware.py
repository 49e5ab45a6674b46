"""Request plumbing shared by the network site and every territory site."""

from __future__ import annotations

from collections.abc import Callable

import sentry_sdk
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from shared_apps.core.health import health_response
from shared_apps.core.languages import pick_language

Handler = Callable[[HttpRequest], HttpResponse]


class HealthCheckMiddleware:
    """Answers /healthz before the host is resolved, so it works on every host and
    still answers (503) when the database that resolves hosts is down."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return health_response()
        return self.get_response(request)


class SentryScopeMiddleware:
    """Tags error reports with the territory (never the user)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        territory = getattr(request, "territory", None)
        sentry_sdk.get_isolation_scope().set_tag(
            "territory", territory.slug if territory is not None else "network"
        )
        return self.get_response(request)


class TerritoryLocaleMiddleware:
    """Activates the language: the visitor's choice if the site offers it, otherwise
    the territory's default (or the browser's, on the network site)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = pick_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response
