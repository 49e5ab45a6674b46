"""Anonymous public reads from a PostgreSQL streaming replica (deploy/SCALING.md §4).

With ``REPLICA_DATABASE_URL`` set, settings add a ``replica`` database alias. A GET or
HEAD of a public catalogue page or public API view (``REPLICA_READ_VIEWS``) by an
anonymous visitor then reads from the replica; everything else stays on the primary:

- signed-in requests (and any request carrying an Authorization header);
- every read after a write in the same request (``db_for_write`` marks the request);
- a browser's requests for ``REPLICA_PIN_SECONDS`` after one of its requests wrote or
  used an unsafe method (a cookie), so nobody misses their own write on a lagging replica;
- all requests while the replica lags more than ``REPLICA_MAX_LAG_SECONDS`` or cannot be
  reached (checked at most every ``REPLICA_CHECK_SECONDS`` per process; a replica that
  failed is retried after ``REPLICA_RETRY_SECONDS``). A replica that fails during a page
  (stopped after the last check) is marked down and the page is served again from the
  primary: a read-only GET that wrote nothing is safe to run twice.

django-tenants keeps the schema on each connection wrapper (``set_tenant`` sets the
search_path lazily at the next cursor), so the router makes the replica connection
follow the primary connection's schema before every read it sends there: the
territory chosen by TerritoryMiddleware, or any ``schema_context`` a view enters.

Without the alias the router answers nothing (Django's defaults apply) and the
middleware passes requests through untouched: everything runs as before.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from shared_apps.core.db import TenantConnection

logger = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
# Set on a response after a write; while present, this browser reads from the primary.
PIN_COOKIE = "primary_pin"
SAFE_METHODS = ("GET", "HEAD")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass
class RequestState:
    allowed: bool = False  # an anonymous read of a public view
    wrote: bool = False
    use_replica: bool | None = None  # decided at the first read, then kept
    used_replica: bool = False


_state: ContextVar[RequestState | None] = ContextVar("replica_request_state", default=None)


def current_state() -> RequestState | None:
    return _state.get()


# ---------------------------------------------------------------------------
# Replica health: reachable, in recovery, and not lagging (cached per process)
# ---------------------------------------------------------------------------


@dataclass
class Health:
    until: float = 0.0  # time.monotonic() until which the verdict holds
    usable: bool = False
    lag: float | None = None


_health = Health()
_health_lock = threading.Lock()


def replica_lag_seconds() -> float:
    """How far the replica's replay is behind the primary: 0 when it has replayed the
    primary's current WAL position, else the age of the last transaction it replayed
    (an upper bound of the real delay). Raises DatabaseError when it is unreachable.

    Comparing positions first matters: an idle primary writes no transactions, and the
    last replayed transaction's age alone would grow forever on a replica that is
    perfectly up to date."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        primary_lsn = cursor.fetchone()[0]
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn,"
            " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8",
            [primary_lsn],
        )
        in_recovery, caught_up, behind = cursor.fetchone()
    if not in_recovery:
        # Promoted (a failover): it no longer follows this primary.
        return math.inf
    if caught_up:
        return 0.0
    return float(behind) if behind is not None else math.inf


def _close_replica() -> None:
    with contextlib.suppress(DatabaseError):  # already broken: nothing to close cleanly
        connections[REPLICA].close()


def mark_replica_down() -> None:
    with _health_lock:
        _health.until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        _health.usable = False
        _health.lag = None
    _close_replica()


def forget_replica_health() -> None:
    """Check again at the next read (tests; after an operator fixed the replica)."""
    with _health_lock:
        _health.until = 0.0


def replica_health() -> Health:
    now = time.monotonic()
    if now < _health.until:
        return _health
    try:
        lag = replica_lag_seconds()
    except DatabaseError:
        # Nothing personal in this line: which server failed is all it says.
        logger.warning("read replica unreachable: public reads go to the primary")
        mark_replica_down()
        return _health
    with _health_lock:
        _health.lag = lag
        _health.usable = lag <= settings.REPLICA_MAX_LAG_SECONDS
        _health.until = now + settings.REPLICA_CHECK_SECONDS
    if not _health.usable:
        logger.info("read replica lags %.1f s: public reads go to the primary", lag)
    return _health


# ---------------------------------------------------------------------------
# The router
# ---------------------------------------------------------------------------


def _follow_primary_schema() -> None:
    primary = cast(TenantConnection, connections[PRIMARY])
    replica = cast(TenantConnection, connections[REPLICA])
    if (
        replica.schema_name != primary.schema_name
        or replica.include_public_schema != primary.include_public_schema
    ):
        replica.set_tenant(primary.tenant, primary.include_public_schema)


class ReplicaRouter:
    """First in DATABASE_ROUTERS; django-tenants' TenantSyncRouter decides the rest of
    the migrations."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not replica_configured():
            return None
        state = _state.get()
        if state is None or not state.allowed or state.wrote:
            # Explicit: an object read from the replica earlier must not drag its
            # related reads there (Django would follow the instance's database).
            return PRIMARY
        if state.use_replica is None:
            state.use_replica = replica_health().usable
        if not state.use_replica:
            return PRIMARY
        _follow_primary_schema()
        state.used_replica = True
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        if not replica_configured():
            return None
        state = _state.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {PRIMARY, REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica is a physical copy: it is never migrated on its own. The
        # primary's migrations are TenantSyncRouter's to decide.
        return False if db == REPLICA else None


# ---------------------------------------------------------------------------
# The middleware: decides per request whether its reads may go to the replica
# ---------------------------------------------------------------------------


class ReplicaReadMiddleware:
    """After AuthenticationMiddleware (it asks whether the visitor is signed in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        state = RequestState()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        state = _state.get()
        if state is None:
            return
        match = request.resolver_match
        state.allowed = bool(
            request.method in SAFE_METHODS
            and getattr(request, "territory", None) is not None
            and match is not None
            and match.view_name in settings.REPLICA_READ_VIEWS
            and PIN_COOKIE not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            # Last: reads the session (on the primary) only when there is a cookie.
            and not request.user.is_authenticated
        )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        state = _state.get()
        if (
            state is None
            or not state.used_replica
            or state.wrote
            or not isinstance(exception, DatabaseError)
            or not connections[REPLICA].errors_occurred
        ):
            return None
        # The replica failed under this page (it stopped after the last health check):
        # serve the page again, from the primary.
        # The error's class and SQLSTATE only: its message may quote the query.
        logger.warning(
            "read replica failed during a page (%s %s): served from the primary",
            type(exception).__name__,
            getattr(getattr(exception, "__cause__", None), "sqlstate", None),
        )
        mark_replica_down()
        state.allowed = False
        match = request.resolver_match
        if match is None:  # cannot happen: process_view ran, so the URL resolved
            return None
        response = cast(HttpResponse, match.func(request, *match.args, **match.kwargs))
        render = getattr(response, "render", None)
        if callable(render) and not getattr(response, "is_rendered", True):
            response = cast(HttpResponse, render())
        return response


@receiver(request_finished, dispatch_uid="tenants_replica_reset_schema")
def reset_replica_schema(**kwargs: Any) -> None:
    """Like tenants.middleware.reset_schema, for a kept-open replica connection."""
    if replica_configured() and REPLICA in connections.settings:
        cast(TenantConnection, connections[REPLICA]).set_schema_to_public()
