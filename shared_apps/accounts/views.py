"""The single sign-on hop's three steps (shared_apps.accounts.sso explains the protocol)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shared_apps.accounts import sso
from shared_apps.accounts.actions import ensure_learner_membership
from shared_apps.accounts.selectors import membership_for
from shared_apps.core.hosts import origin

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused() -> HttpResponse:
    return HttpResponseBadRequest(
        _("This sign-in link is not valid any more. Please sign in again."),
        content_type="text/plain; charset=utf-8",
    )


def _set_cookie(response: HttpResponse, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def hop(request: HttpRequest, *, provider: str, next_url: str, join: bool = False) -> HttpResponse:
    """Send the browser to ``provider`` for a token for this host (step 1)."""
    state = sso.new_state()
    response = HttpResponseRedirect(
        sso.issue_url(
            provider=provider,
            consumer=sso.request_host(request),
            state=state,
            next_url=next_url,
            join=join,
        )
    )
    _set_cookie(response, sso.STATE_COOKIE, state, settings.SSO_TOKEN_SECONDS * 2)
    # Answered instead of a public page: no shared cache may keep it for others.
    add_never_cache_headers(response)
    return response


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The network site takes the session of a territory where someone just signed in
    (``from``), then goes on to ``next`` (an address on a known host)."""
    if getattr(request, "territory", None) is not None:
        return _refused()
    target = sso.known_url(request.GET.get("next", ""))
    source = sso.known_host(request.GET.get("from", ""))
    if target is None or source is None or source.territory is None:
        return HttpResponseBadRequest(
            _("Unknown address."), content_type="text/plain; charset=utf-8"
        )
    return hop(request, provider=source.host, next_url=request.GET["next"])


@never_cache
@require_GET
def issue(request: HttpRequest) -> HttpResponse:
    """Step 2, on the host holding the session: a token for the consumer host, or
    "nobody is signed in here" (``result``), sent to the consumer's accept URL."""
    consumer = sso.known_host(request.GET.get("for", ""))
    state = request.GET.get("state", "")
    if consumer is None or not state or consumer.host == sso.request_host(request):
        return HttpResponseBadRequest(
            _("Unknown address."), content_type="text/plain; charset=utf-8"
        )
    territory = getattr(request, "territory", None)
    if territory is not None and consumer.territory is not None:
        # A territory hands its session to the network site only: the network site is
        # the hub of every hop.
        return HttpResponseBadRequest(
            _("Unknown address."), content_type="text/plain; charset=utf-8"
        )
    next_url = request.GET.get("next", "")
    join = request.GET.get("join") == "1"
    user = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(
            sso.accept_url(consumer=consumer.host, next_url=next_url, result="anon")
        )
    if (
        consumer.territory is not None
        and not join
        and membership_for(user, consumer.territory) is None
    ):
        # Arriving on a territory signs in where the account is a member; elsewhere
        # the visitor stays signed out until they choose "Sign in" there (which makes
        # them a learner there, as typing the password would).
        return HttpResponseRedirect(
            sso.accept_url(consumer=consumer.host, next_url=next_url, result="none")
        )
    token = sso.make_token(user=user, host=consumer.host, state=state, join=join)
    return HttpResponseRedirect(
        sso.accept_url(consumer=consumer.host, next_url=next_url, token=token)
    )


def _after_sign_in(request: HttpRequest, next_url: str) -> str:
    """Where to go once signed in: ``next`` if it is on a known host (on a territory:
    this host only); a sign-in page's own ``next`` instead of the page itself."""
    territory = getattr(request, "territory", None)
    if territory is not None or next_url.startswith("/"):
        path = sso.local_path(next_url)
        login_path = reverse("account_login")
        if path.startswith(login_path):
            query = urlsplit(path).query
            path = sso.local_path(parse_qs(query).get("next", ["/"])[0])
        return path
    known = sso.known_url(next_url)
    if known is None:
        return "/"
    host, path = known
    return f"{origin(host.host)}{path}"


@never_cache
@require_GET
def accept(request: HttpRequest) -> HttpResponse:
    """Step 3, on the host without a session: sign in with the token, once."""
    next_url = request.GET.get("next", "")
    token = request.GET.get("token", "")
    territory = getattr(request, "territory", None)
    if not token:
        result = request.GET.get("result", "anon")
        had_state = sso.STATE_COOKIE in request.COOKIES
        path = _after_sign_in(request, next_url) if territory is None else sso.local_path(next_url)
        if not had_state and territory is not None:
            # A browser that keeps no cookies would be sent round again and again:
            # the marker stops the next hop (SingleSignOnMiddleware).
            path = f"{path}{'&' if '?' in path else '?'}sso=0"
        response = HttpResponseRedirect(path)
        _set_cookie(
            response,
            sso.CHECKED_COOKIE,
            sso.checked_value("none" if result == "none" else "anon"),
            settings.SSO_RECHECK_SECONDS,
        )
        response.delete_cookie(sso.STATE_COOKIE)
        return response
    try:
        accepted = sso.accept_token(
            token=token,
            host=sso.request_host(request),
            state=request.COOKIES.get(sso.STATE_COOKIE),
        )
    except sso.TokenRefused:
        if request.user.is_authenticated:
            # Back button onto a used link: already signed in here, nothing to do.
            return HttpResponseRedirect(_after_sign_in(request, next_url))
        return _refused()
    login(request, accepted.user, backend=BACKEND)
    if territory is not None:
        if accepted.join:
            ensure_learner_membership(user=accepted.user, territory=territory)
        request.membership = membership_for(accepted.user, territory)  # type: ignore[attr-defined]
    response = HttpResponseRedirect(_after_sign_in(request, next_url))
    response.delete_cookie(sso.STATE_COOKIE)
    response.delete_cookie(sso.CHECKED_COOKIE)
    return response
