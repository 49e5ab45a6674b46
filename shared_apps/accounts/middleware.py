"""Checks, on every request, what the signed-in account may do in this territory."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from shared_apps.accounts import sso
from shared_apps.accounts.models import Membership
from shared_apps.accounts.selectors import membership_for
from shared_apps.accounts.views import hop

# Ways into a territory's admin area other than a staff membership there, registered by
# the apps above accounts in their AppConfig.ready() (the console's time-limited entry
# grant: shared_apps.console.entry). ``source(request, territory)`` gives an unsaved
# membership for this request, or None; the first one given wins.
EntrySource = Callable[[HttpRequest, Any], Membership | None]
_entry_sources: list[EntrySource] = []


def register_entry_source(source: EntrySource) -> None:
    """Add a way in, asked when the account has no admin membership here (idempotent)."""
    if source not in _entry_sources:
        _entry_sources.append(source)


def entry_membership(request: HttpRequest, territory: Any) -> Membership | None:
    for source in _entry_sources:
        membership = source(request, territory)
        if membership is not None:
            return membership
    return None


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
                membership = entry_membership(request, territory) or membership
            if membership is None:
                logout(request)
            request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)


BOT_USER_AGENT = re.compile(r"bot|crawl|spider|slurp|preview", re.IGNORECASE)
# Paths never worth a hop: machine-read documents, files, the API, the hop itself.
NO_HOP_PREFIXES = (
    "/accounts/",
    "/account/",
    "/api/",
    "/static/",
    "/media/",
    "/ob/",
    "/.well-known/",
    "/issuers/",
    "/console-entry/",
    "/i18n/",
    "/healthz",
)


class SingleSignOnMiddleware:
    """On a territory host, a visitor who is signed out here but may be signed in on
    the network site is sent there once for a token (shared_apps.accounts.sso).

    Only page loads by a browser (GET, asking for HTML, not an htmx fragment) hop, and
    what the network site answered ("nobody signed in", "not a member here") is kept
    in a host-only cookie for SSO_RECHECK_SECONDS, so a visitor costs one round trip
    per few minutes, never a loop. The sign-in page always asks again unless it just
    did: "Sign in" on a territory then needs no password when the network site has a
    session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "territory", None) is not None and self._may_hop(request):
            login_path = reverse("account_login")
            checked = sso.checked_state(request)
            if request.path == login_path:
                if (
                    checked is None
                    or checked[0] == "none"
                    or checked[1] > sso.LOGIN_RECHECK_SECONDS
                ):
                    return hop(
                        request,
                        provider=settings.PLATFORM_DOMAIN,
                        next_url=request.get_full_path(),
                        join=True,
                    )
            elif checked is None and not request.path.startswith(NO_HOP_PREFIXES):
                return hop(
                    request,
                    provider=settings.PLATFORM_DOMAIN,
                    next_url=request.get_full_path(),
                )
        return self.get_response(request)

    @staticmethod
    def _may_hop(request: HttpRequest) -> bool:
        return (
            request.method == "GET"
            and not request.user.is_authenticated
            and "text/html" in request.headers.get("Accept", "")
            and "HX-Request" not in request.headers
            and "sso" not in request.GET
            # Crawlers keep no session anywhere: they get the page, not a round trip.
            and not BOT_USER_AGENT.search(request.headers.get("User-Agent") or "bot")
        )
