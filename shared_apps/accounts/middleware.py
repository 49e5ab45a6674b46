"""Checks, on every request, what the signed-in account may do in this territory."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from shared_apps.accounts.selectors import membership_for


class MembershipMiddleware:
    """Sets ``request.membership`` (None on the network site and for visitors).

    A signed-in account without a membership here is signed out: sessions belong to
    one territory, and a membership removed by the territory ends access at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        territory = getattr(request, "territory", None)
        if territory is not None and request.user.is_authenticated:
            membership = membership_for(request.user, territory)
            if membership is None or not membership.is_admin:
                # A coordinator's time-limited entry (shared_apps.console), if any.
                from shared_apps.console.entry import entry_membership

                membership = entry_membership(request, territory) or membership
            if membership is None:
                logout(request)
            request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)
