"""Pages against the stack's ceiling (issue #17, items 3 and 6).

Requests per second of three territory pages seen by an anonymous visitor (the home
page, a search results page, an activity page), each divided by the requests per second
of a bare ``HttpResponse`` view served through the same stack in the same run: gunicorn
as deployed (deploy/gunicorn.conf.py, 2 sync workers, DEBUG off, the connection pool on,
every middleware), wrk on the same machine. Goals: home >= 0.5x, search >= 0.3x,
activity >= 0.5x.

The bare view is added by a bench-only URLconf (bench/urls_bench.py, selected with
TERRITORY_URLCONF), never in production. The territory holds BENCH_ACTIVITIES (2,000)
published activities made by the catalogue's generator. The pages are those a visitor
who is not signed in gets (served from the whole-page cache after the first request);
``search_page_uncached`` adds a parameter the page does not know, so the search runs on
every request: the cost of a search nobody made in the last five minutes. Pages and
the bare view are measured in turns, BENCH_ROUNDS (3) times BENCH_SECONDS (6) each,
and every ratio is the median page figure over the median bare figure. The machine is
shared (2 cores): the 1-minute load average is printed with the figures.

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_pages_ratio.py`).
"""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bench_territory, gunicorn, median, report, wrk

DB = "cities_bench_ratio"
HOST = "ratio.localhost"
ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", "2000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
GOALS = {"territory_home": 0.5, "search_page": 0.3, "activity_page": 0.5}
# Figures without a goal of the issue (shown for what the cache does not cover).
NO_GOAL = ("search_page_uncached",)


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> None:
    territory = bench_territory(DB, slug="ratio", name="Ratio", lon=25.2797, lat=54.6872)
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenant_apps.catalogue.generator import generate
    from tenant_apps.catalogue.models import Activity, Interest

    with tenant_context(territory):
        generate(
            territory=territory,
            activities=ACTIVITIES,
            providers=max(10, ACTIVITIES // 5),
            seed=1,
            published_share=1.0,
            pending_provider_share=0.0,
        )
        interest = Interest.objects.filter(is_active=True).order_by("position").first()
        activity = (
            Activity.objects.filter(is_public=True, venue__isnull=False).order_by("id").first()
        )
        if interest is None or activity is None:
            raise RuntimeError("the generator made no interest or no activity with a venue")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()

    pages = {
        "bare_view": "/bench/bare/",
        "territory_home": "/",
        # A realistic results page: free text, an interest and a time window.
        "search_page": f"/activities/?q=klub&interest={interest.slug}&when=month",
        "activity_page": f"/activities/{activity.pk}/",
        # The same search with a parameter the page does not know: the whole-page cache
        # is bypassed, the search runs on every request (its count stays cached).
        "search_page_uncached": (
            f"/activities/?q=klub&interest={interest.slug}&when=month&bench=1"
        ),
    }
    runs: dict[str, list[float]] = {name: [] for name in pages}
    p50: dict[str, list[float]] = {name: [] for name in pages}
    loads: list[float] = []
    # No restarts after GUNICORN_MAX_REQUESTS while measuring: a worker booting (seconds
    # on a loaded machine) would be counted against whichever page is being measured.
    server = {"TERRITORY_URLCONF": "bench.urls_bench", "GUNICORN_MAX_REQUESTS": "0"}
    with gunicorn(DB, workers=2, host=HOST, **server) as base:
        # Both workers load their templates, caches and pool before anything is timed.
        for path in pages.values():
            for _ in range(6):
                request = urllib.request.Request(base + path, headers={"Host": HOST})
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
        for _round in range(ROUNDS):
            for name, path in pages.items():
                figures = wrk(base + path, host=HOST, seconds=SECONDS)
                if figures["non_2xx"]:
                    raise RuntimeError(f"{path}: {figures['non_2xx']:.0f} non-2xx responses")
                runs[name].append(figures["rps"])
                p50[name].append(figures.get("p50_ms", 0.0))
                loads.append(loadavg())
                print(f"  round {_round + 1} {name}: {figures['rps']:.0f} req/s", flush=True)
    bare = median(runs["bare_view"])
    result: dict[str, object] = {
        "bare_view_rps": round(bare, 1),
        "bare_view_p50_ms": round(median(p50["bare_view"]), 2),
    }
    goals: dict[str, bool] = {}
    for name in pages:
        if name == "bare_view":
            continue
        rps = median(runs[name])
        ratio = round(rps / bare, 3)
        result[f"{name}_rps"] = round(rps, 1)
        result[f"{name}_p50_ms"] = round(median(p50[name]), 2)
        result[f"{name}_ratio"] = ratio
        if name not in NO_GOAL:
            goals[f"{name}_ratio>={GOALS[name]}"] = ratio >= GOALS[name]
    result["load_average_min_max"] = [min(loads), max(loads)]
    result["activities"] = ACTIVITIES
    result["goals"] = goals
    report("pages_ratio", result)


if __name__ == "__main__":
    main()
