"""One sign-in across the network: a hop through the network site with a one-time token.

Session cookies stay host-only (each territory's sessions even live in its own schema),
so a session is carried from one host to another by the browser itself:

1. The *consumer* host (the one without a session) sets a random ``state`` in a
   host-only cookie and sends the browser to the *provider* host's ``issue`` URL.
2. The provider, if its session is signed in, signs a token for that consumer host
   (account, host, state, a nonce, the account's session hash), valid for
   ``SSO_TOKEN_SECONDS``, and sends the browser to the consumer's ``accept`` URL.
3. The consumer checks the signature, the age, the host, the state cookie (so nobody
   can sign a visitor in as someone else) and records the nonce (so a token works
   once), then signs the browser in and goes on to the page asked for.

The network site is the hub: a territory takes its session from the network site (when
a visitor arrives on it signed out, or clicks "Sign in"), and after a sign-in typed on
a territory the network site takes its session from that territory. Targets of every
redirect are hosts the platform serves (the network domain, a territory's subdomain or
verified custom domain), rebuilt from configuration: never an open redirect.

Signing out anywhere changes the account's ``session_stamp``: every session of the
account, on every host, fails its check on its next request.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from shared_apps.accounts.models import SignOnTokenUse, User
from shared_apps.core.hosts import origin
from tenants.models import Territory
from tenants.selectors import territory_for_host

SALT = "shared_apps.accounts.sso.v1"
STATE_COOKIE = "sso_state"
# What a territory host last learned from the network site: "anon.<time>" (nobody is
# signed in there) or "none.<time>" (someone is, without a membership here).
CHECKED_COOKIE = "sso_checked"
# A "Sign in" click after this long asks the network site again, even if the visitor
# was found signed out a moment ago (they may have signed in elsewhere since).
LOGIN_RECHECK_SECONDS = 15


class TokenRefused(Exception):
    """A token that is tampered with, expired, for another host, replayed, or not
    started by this browser."""


@dataclass(frozen=True)
class KnownHost:
    host: str
    territory: Territory | None  # None: the network site


def known_host(hostname: str) -> KnownHost | None:
    """The host if the platform serves it (network domain, a territory's subdomain or
    verified custom domain, territory open), else None."""
    hostname = hostname.lower().rstrip(".")
    if hostname == settings.PLATFORM_DOMAIN:
        return KnownHost(hostname, None)
    territory = territory_for_host(hostname)
    if territory is None or territory.status in (
        Territory.Status.PROVISIONING,
        Territory.Status.ARCHIVED,
    ):
        return None
    return KnownHost(hostname, territory)


def request_host(request: HttpRequest) -> str:
    """The host that answered (the territory middleware has vetted it)."""
    return request.get_host().split(":")[0].lower()


def known_url(url: str) -> tuple[KnownHost, str] | None:
    """An absolute URL on a host the platform serves, at its configured scheme and
    port: (host, path with query). Anything else is None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != settings.PLATFORM_SCHEME or parts.username or parts.password:
        return None
    expected_port = int(settings.PLATFORM_PORT) if settings.PLATFORM_PORT else None
    if port != expected_port or not parts.hostname:
        return None
    host = known_host(parts.hostname)
    if host is None:
        return None
    return host, local_path(parts.path + (f"?{parts.query}" if parts.query else ""))


def local_path(value: str | None) -> str:
    """``value`` if it is a path on this host, else "/"."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return "/"
    return value


def _url(host: str, path: str, params: dict[str, str]) -> str:
    return f"{origin(host)}{path}?{urlencode(params)}"


def issue_url(*, provider: str, consumer: str, state: str, next_url: str, join: bool) -> str:
    params = {"for": consumer, "state": state, "next": next_url}
    if join:
        params["join"] = "1"
    return _url(provider, "/accounts/sso/issue/", params)


def accept_url(*, consumer: str, next_url: str, token: str = "", result: str = "") -> str:
    params = {"next": next_url}
    if token:
        params["token"] = token
    if result:
        params["result"] = result
    return _url(consumer, "/accounts/sso/accept/", params)


def new_state() -> str:
    return secrets.token_urlsafe(16)


def make_token(*, user: User, host: str, state: str, join: bool) -> str:
    payload = {
        "u": user.pk,
        "h": host,
        "s": state,
        "n": secrets.token_hex(16),
        "j": join,
        # Bound to the account's sessions as they are now: signing out everywhere
        # before the token is used makes it worthless.
        "a": user.get_session_auth_hash(),
    }
    return signing.dumps(payload, salt=SALT)


@dataclass(frozen=True)
class Accepted:
    user: User
    join: bool


def accept_token(*, token: str, host: str, state: str | None) -> Accepted:
    """The account a token signs in, once. Raises TokenRefused."""
    try:
        payload: dict[str, Any] = signing.loads(
            token, salt=SALT, max_age=settings.SSO_TOKEN_SECONDS
        )
    except signing.BadSignature as error:  # includes SignatureExpired
        raise TokenRefused("bad or expired token") from error
    if payload.get("h") != host:
        raise TokenRefused("token for another host")
    if not state or not secrets.compare_digest(str(payload.get("s", "")), state):
        raise TokenRefused("token not started by this browser")
    user_id = payload.get("u")
    user = (
        User.objects.filter(pk=user_id, is_active=True).first()
        if isinstance(user_id, int)
        else None
    )
    if user is None or not secrets.compare_digest(
        str(payload.get("a", "")), user.get_session_auth_hash()
    ):
        raise TokenRefused("account signed out or gone")
    _use_once(str(payload.get("n", "")))
    return Accepted(user=user, join=bool(payload.get("j")))


def _use_once(nonce: str) -> None:
    if not nonce:
        raise TokenRefused("token without nonce")
    now = timezone.now()
    try:
        with transaction.atomic():
            SignOnTokenUse.objects.create(nonce=nonce, used_at=now)
    except IntegrityError as error:
        raise TokenRefused("token already used") from error
    # A used token older than its lifetime is refused by its age anyway.
    SignOnTokenUse.objects.filter(
        used_at__lt=now - timedelta(seconds=settings.SSO_TOKEN_SECONDS * 2)
    ).delete()


def checked_value(result: str) -> str:
    return f"{result}.{int(time.time())}"


def checked_state(request: HttpRequest) -> tuple[str, float] | None:
    """What the last hop found ("anon" or "none") and how many seconds ago."""
    value = request.COOKIES.get(CHECKED_COOKIE, "")
    result, _, stamp = value.partition(".")
    if result not in ("anon", "none") or not stamp.isdigit():
        return None
    return result, time.time() - int(stamp)
