"""A suspended territory's site is read-only for visitors and learners."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.models import Territory

# Signing in and out stays possible: staff must be able to reach the billing page.
ALWAYS_ALLOWED_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/password/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class ReadOnlyWhenSuspendedMiddleware:
    """Refuses writes (any unsafe method) on a suspended territory's host, except by
    the territory's staff and for signing in. After MembershipMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        territory = getattr(request, "territory", None)
        if (
            territory is not None
            and territory.status == Territory.Status.SUSPENDED
            and request.method not in SAFE_METHODS
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
        ):
            membership = getattr(request, "membership", None)
            if membership is None or not membership.is_staff:
                return render(request, "billing/read_only.html", status=403)
        return self.get_response(request)
