"""A Redis cache that a Redis outage cannot turn into errors.

The cache only ever saves work: every caller can rebuild what it reads from
PostgreSQL. So when Redis is stopped (connection refused) or frozen (no answer within
the short socket timeouts of settings.CACHES), an operation logs a warning and is done
on a small in-process cache instead (LocMemCache, the same keys): pages are built from
PostgreSQL, and what needs a cache to work at all (allauth's rate limits and their
locks, "once a day" guards) keeps working per process instead of refusing everyone.
When Redis answers again the in-process entries are dropped, so nothing cached during
the outage outlives it; meanwhile a change in one process reaches the others' entries
only when those expire (60 s for host routes), as with any per-process cache.

After a failure the process leaves Redis alone for ``retry_after`` seconds (a circuit
breaker): a frozen Redis then costs one timeout per process and period, not one per
cache call, so requests do not queue behind it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)
# Errors meaning "Redis is not there", not "the call was wrong".
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that falls back to an in-process
    cache while Redis is away."""

    RETRY_AFTER_SECONDS = 5.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", self.RETRY_AFTER_SECONDS))
        # redis-py retries a failed command 3 times with backoff (seconds in all):
        # a miss is cheaper than that wait.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0
        self._degraded = False
        self._lock = threading.Lock()
        self._local = LocMemCache(
            "resilient-redis-fallback",
            {
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "TIMEOUT": params.get("TIMEOUT", 300),
                "OPTIONS": {"MAX_ENTRIES": 2000},
            },
        )

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _guard(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if self.available:
            try:
                result = getattr(super(), operation)(*args, **kwargs)
            except UNAVAILABLE as error:
                self._went_down(operation, error)
            else:
                if self._degraded:
                    # Back: forget what was cached here during the outage.
                    self._degraded = False
                    self._local.clear()
                return result
        return getattr(self._local, operation)(*args, **kwargs)

    def redis_answers(self) -> bool:
        """Whether Redis itself answers now (for /readyz), whatever the breaker says."""
        try:
            client = self._cache.get_client(write=True)  # type: ignore[attr-defined]
            return bool(client.ping())
        except UNAVAILABLE:
            return False

    def _went_down(self, operation: str, error: BaseException) -> None:
        with self._lock:
            was_up = self.available
            self._down_until = time.monotonic() + self.retry_after
            self._degraded = True
        if was_up:  # one line per outage period, not one per call
            logger.warning(
                "cache unavailable (%s during %s): using an in-process cache for %.0f s",
                type(error).__name__,
                operation,
                self.retry_after,
            )

    # Same signatures as BaseCache (*args keeps them whatever Django adds later).
    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._guard("get", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        return self._guard("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return self._guard("has_key", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._guard("set", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> list[Any]:
        return self._guard("set_many", *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self._guard("add", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._guard("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._guard("delete", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        self._guard("delete_many", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        return self._guard("incr", *args, **kwargs)

    def clear(self) -> None:
        self._guard("clear")
