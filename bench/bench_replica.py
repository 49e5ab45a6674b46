"""Read replica (issue #18 B, tenants/replica.py): the share of reads a streaming
replica takes under mixed anonymous / signed-in traffic, and what a stopped replica
costs the pages.

A database of its own on the project's PostgreSQL, one territory with 30 providers; a
hot standby of the cluster (pg_basebackup -R, tests/servers.py Standby) on another
port; gunicorn (2 workers, the production pool) with REPLICA_DATABASE_URL on it.
Traffic: 4 client threads looping over 3 anonymous public pages and 1 signed-in page
(75 % anonymous requests). "Read share" is the replica's part of the database
transactions (pg_stat_database.xact_commit on each server for this database: every
autocommit statement is one), which counts the lag checks against the primary.

The same for anonymous traffic alone. Failover: anonymous traffic only; the standby is
stopped (fast shutdown) for 6 s, then started again. Errors must stay 0; latency
before / while stopped / after is printed.

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_replica.py`).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    PGPORT,
    bench_territory,
    free_port,
    gunicorn,
    percentile,
    report,
)

DB = "cities_bench_replica"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def xacts(port: int) -> int:
    from tests.servers import pg_connect

    with pg_connect(port) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [DB]
        ).fetchone()
    return int(row[0]) if row else 0


def wait_stats(port: int) -> int:
    """Cumulative statistics are flushed by each backend at most once a second."""
    time.sleep(1.2)
    return xacts(port)


def main() -> None:
    territory = bench_territory(DB, slug="replica", name="Replica", lon=25.28, lat=54.69)
    from django.test import Client
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.actions import grant_membership
    from shared_apps.accounts.models import User
    from tenant_apps.catalogue.models import Provider
    from tests.servers import Standby, Traffic

    with tenant_context(territory):
        for number in range(30):
            Provider.objects.create(
                name=f"Provider {number:02d}",
                slug=f"provider-{number:02d}",
                status=Provider.Status.VERIFIED,
            )
        user = User.objects.create_user(email="replica-bench@example.org", password=None)
        grant_membership(user=user, territory=territory, role="learner")
        client = Client()
        client.force_login(user)
        session = {"sessionid": client.cookies["sessionid"].value}

    host = territory.host
    anonymous_pages: list[tuple[str, str, str, dict[str, str]]] = [
        ("anonymous: API providers", host, "/api/providers/", {}),
        ("anonymous: providers page", host, "/providers/", {}),
        ("anonymous: home", host, "/", {}),
    ]
    mixed = [*anonymous_pages, ("signed-in: API providers", host, "/api/providers/", session)]

    standby = Standby(int(PGPORT), free_port())
    standby.create()
    standby.start()
    figures: dict[str, object] = {}
    try:
        replica_url = f"postgis://postgres@127.0.0.1:{standby.port}/{DB}"
        with gunicorn(DB, workers=2, host=host, REPLICA_DATABASE_URL=replica_url) as base:
            with Traffic(base, mixed, threads=2) as warm:
                time.sleep(3)
            if warm.failures():
                raise RuntimeError(f"pages fail before measuring: {warm.failures()[:3]}")

            before = (wait_stats(int(PGPORT)), wait_stats(standby.port))
            with Traffic(base, mixed, threads=4) as traffic:
                time.sleep(SECONDS)
            after = (wait_stats(int(PGPORT)), wait_stats(standby.port))
            primary, replica = after[0] - before[0], after[1] - before[1]
            anonymous = sum(1 for hit in traffic.hits if hit.what.startswith("anonymous"))
            figures.update(
                {
                    "mixed_requests": len(traffic.hits),
                    "mixed_errors": len(traffic.failures()),
                    "mixed_anonymous_share_pct": round(100 * anonymous / len(traffic.hits), 1),
                    "mixed_primary_xacts": primary,
                    "mixed_replica_xacts": replica,
                    "replica_read_share_pct": round(100 * replica / max(1, primary + replica), 1),
                    "mixed_rps": round(len(traffic.hits) / SECONDS, 1),
                }
            )

            # Anonymous pages only: what the primary still does for them (the lag
            # checks, anything the pages read outside the routed views).
            before = (wait_stats(int(PGPORT)), wait_stats(standby.port))
            with Traffic(base, anonymous_pages, threads=4) as only_anonymous:
                time.sleep(SECONDS // 2)
            after = (wait_stats(int(PGPORT)), wait_stats(standby.port))
            primary, replica = after[0] - before[0], after[1] - before[1]
            figures.update(
                {
                    "anonymous_requests": len(only_anonymous.hits),
                    "anonymous_errors": len(only_anonymous.failures()),
                    "anonymous_primary_xacts": primary,
                    "anonymous_replica_xacts": replica,
                    "anonymous_replica_read_share_pct": round(
                        100 * replica / max(1, primary + replica), 1
                    ),
                }
            )

            with Traffic(base, anonymous_pages, threads=4) as outage:
                time.sleep(4)
                stopped = time.monotonic()
                standby.stop()
                time.sleep(6)
                restarted = time.monotonic()
                standby.start()
                time.sleep(4)
            end = time.monotonic()

            def latency(since: float, until: float) -> dict[str, float]:
                times = [h.seconds for h in outage.hits if since <= h.started < until]
                return {
                    "requests": len(times),
                    "p50_ms": round(1000 * percentile(times, 50), 1),
                    "p99_ms": round(1000 * percentile(times, 99), 1),
                    "max_ms": round(1000 * max(times), 1),
                }

            figures.update(
                {
                    "failover_errors": len(outage.failures()),
                    "failover_before": latency(0, stopped),
                    "failover_while_stopped": latency(stopped, restarted),
                    "failover_after_restart": latency(restarted, end),
                }
            )
    finally:
        standby.remove()
    report("bench_replica", figures)


if __name__ == "__main__":
    main()
