"""Request plumbing shared by the network site and every territory site."""

from __future__ import annotations

from collections.abc import Callable

import sentry_sdk
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
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


# Form bodies Django parses into request.POST (others, such as JSON, are left to DRF's
# serializers, whose text fields refuse NUL themselves).
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(values: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in items) for key, items in values.lists()
    )


class InputRuleMiddleware:
    """One rule for every query string, form and path: a NUL character is a 400.

    PostgreSQL cannot store or compare text holding NUL, so any view handing such a
    parameter to a query answered 500. Refusing it here, once, covers every page, the
    API and the admin alike (forms' own NUL check is the second line)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._refused(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": "The request holds a NUL character, which is not allowed."},
                    status=400,
                )
            # The site's 400 page, in the visitor's language (the locale is active).
            raise BadRequest("NUL character in the request")
        return self.get_response(request)

    @staticmethod
    def _refused(request: HttpRequest) -> bool:
        if "\x00" in request.path_info or _has_nul(request.GET):
            return True
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        return (
            request.method == "POST"
            and content_type in FORM_CONTENT_TYPES
            and _has_nul(request.POST)
        )
