"""Foundation figures (issue #2).

1. Time to provision one territory (schema + migrations + domain + admin) with 10
   and with 100 territories already in the database (3 runs each, median and max).
2. Requests per second for a territory home page and for the network home page,
   served by gunicorn with several worker processes, loaded by wrk on the same
   2-core machine (so the load generator competes with the server for CPU).

Run: `make bench` (or `.venv/bin/python bench/bench_foundation.py`).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import gunicorn, median, recreate_database, report, setup_django, wrk

DB = "cities_bench_foundation"
PROBES = 3


def main() -> None:
    recreate_database(DB)
    setup_django(DB)
    from django.contrib.gis.geos import Point
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from tenants.actions import provision_territory
    from tenants.models import Territory

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)

    def provision(slug: str) -> float:
        started = time.perf_counter()
        provision_territory(
            name=slug.title(),
            slug=slug,
            country="LT",
            default_language="lt",
            languages=["en"],
            timezone_name="Europe/Vilnius",
            map_center=Point(25.28, 54.69, srid=4326),
            status=Territory.Status.ACTIVE,
        )
        return time.perf_counter() - started

    def fill_to(count: int) -> None:
        existing = Territory.objects.count()
        for i in range(existing, count):
            provision(f"filler-{i:04d}")

    def probe(label: str) -> dict[str, float]:
        timings = [provision(f"probe-{label}-{n}") for n in range(PROBES)]
        with schema_context("public"):
            for territory in Territory.objects.filter(slug__startswith=f"probe-{label}-"):
                territory.delete(force_drop=True)
        return {"median_s": round(median(timings), 3), "max_s": round(max(timings), 3)}

    figures: dict[str, object] = {}
    fill_to(10)
    figures["provision_with_10_existing"] = probe("10")
    fill_to(100)
    figures["provision_with_100_existing"] = probe("100")

    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    figures["gunicorn_workers"] = workers
    with gunicorn(DB, workers=workers) as base:
        figures["territory_home"] = wrk(base + "/", host="filler-0000.localhost")
        figures["network_home_100_territories"] = wrk(base + "/", host="localhost")
    report("foundation", figures)


if __name__ == "__main__":
    main()
