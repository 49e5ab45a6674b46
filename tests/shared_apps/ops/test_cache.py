"""The resilient Redis cache against a real Redis that is frozen, then thawed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from shared_apps.ops.cache import ResilientRedisCache
from tests.servers import RedisServer, port

pytestmark = pytest.mark.slow


def test_the_cache_falls_back_in_process_while_redis_is_away_and_forgets_it_after(
    tmp_path: Path,
) -> None:
    server = RedisServer(tmp_path, port("redis"))
    server.start()
    options = {"socket_timeout": 0.3, "socket_connect_timeout": 0.3, "retry_after": 0.5}
    cache = ResilientRedisCache(server.url, {"OPTIONS": options})
    try:
        cache.set("route", "from redis")
        assert cache.get("route") == "from redis"

        server.freeze()
        started = time.monotonic()
        assert cache.get("route") is None  # one timeout, then a miss
        assert time.monotonic() - started < 1
        started = time.monotonic()
        cache.set("route", "in process")
        assert cache.get("route") == "in process"
        # What needs a cache to work at all (allauth's rate-limit locks) still works.
        assert cache.add("lock", 1) and not cache.add("lock", 1)
        with pytest.raises(ValueError):
            cache.incr("missing")  # as for any missing key
        assert time.monotonic() - started < 0.2  # the breaker is open: no waiting
        assert not cache.redis_answers()

        server.thaw()
        time.sleep(0.6)
        # Redis again, and nothing cached during the outage survives it.
        assert cache.get("route") == "from redis"
        assert cache.redis_answers()
        server.stop()
        assert cache.get("route") is None
        assert cache.get("lock") is None
    finally:
        server.stop()
