"""Liveness and readiness, for the load balancer and the orchestrator.

- /livez: the process answers (no dependency checked: restarting a web process
  because the database is down would not help).
- /readyz: the database, the cache and (when configured) the Celery broker answer;
  a 503 takes the instance out of the load balancer until they do.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

import learning_platform
from tenants.db import tenant_connection

logger = logging.getLogger(__name__)


def liveness() -> JsonResponse:
    return JsonResponse({"status": "ok", "version": learning_platform.__version__})


def _database() -> None:
    tenant_connection().set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = "readyz:probe"
    value = str(time.monotonic())
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    from learning_platform.celery import app

    with app.connection_for_write() as conn:
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
    ready = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
