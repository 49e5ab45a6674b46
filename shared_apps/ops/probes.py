"""Liveness and readiness, for the load balancer and the orchestrator.

- /livez: the process answers (no dependency checked: restarting a web process
  because the database is down would not help).
- /readyz: the database answers, else 503 (which takes the instance out of the load
  balancer until it does). The cache and (when configured) the Celery broker are
  checked too, but without Redis pages are still served (the cache falls back, tasks
  wait in the outbox): then 200 with status "degraded", since taking every instance
  out because their shared Redis is away would take the site down.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from shared_apps.core.db import tenant_connection
from shared_apps.ops.celery_app import app

logger = logging.getLogger(__name__)


def liveness() -> JsonResponse:
    return JsonResponse({"status": "ok", "version": settings.PLATFORM_VERSION})


def _database() -> None:
    tenant_connection().set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    # The resilient cache answers from memory while Redis is away: ask Redis itself.
    redis_answers: Callable[[], bool] | None = getattr(cache, "redis_answers", None)
    if redis_answers is not None:
        if not redis_answers():
            raise RuntimeError("Redis does not answer")
        return
    key = "readyz:probe"
    value = str(time.monotonic())
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    seconds = settings.REDIS_TIMEOUT_SECONDS
    options = {"socket_timeout": seconds, "socket_connect_timeout": seconds}
    with app.connection_for_write(transport_options=options, connect_timeout=seconds) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def readiness() -> JsonResponse:
    checks: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache}
    if settings.REDIS_URL:
        checks["broker"] = _broker
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:
            logger.warning("readyz: %s failed (%s)", name, type(error).__name__)
            results[name] = "unavailable"
    ready = results["database"] == "ok"
    healthy = all(value == "ok" for value in results.values())
    status = "ok" if healthy else "degraded" if ready else "unavailable"
    return JsonResponse({"status": status, "checks": results}, status=200 if ready else 503)
