"""Open data figures (issue 18, A1 calendars and A2 feeds).

1. The changes feed caught up from scratch (``changes.reconcile``) over 10,000 public
   activities: entries written per second (what a territory importing its catalogue
   in bulk, or `ensure_territory_setup`, costs once).
2. Reading each whole feed through gunicorn (one sync worker, as in production), one
   page after the other following ``next``, 500 items a page: items per second,
   seconds per page, and the CPU seconds per page of the app server's processes and of
   its PostgreSQL backends (from /proc: these do not grow with the machine's load as
   wall-clock figures do), with the load average while it ran.
3. The catalogue as CSV (/open-data/activities.csv, all 10,000 activities): the CPU
   seconds of building it in-process (this process and its PostgreSQL backend), then
   the download through the same gunicorn: seconds, rows per second, app server and
   backend CPU seconds, with the load average.
4. A provider's calendar of 300 events imported by ``sync_calendar`` from a real HTTP
   server on loopback (fetch, parse, each event through the catalogue's actions):
   events per second, then a re-sync of the unchanged calendar.

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_opendata.py`; add
`feeds` to take items 1 to 3 only, `csv` for item 3 alone).
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bench_territory, gunicorn, report

DB = "cities_bench_opendata"
HOST = "opendataville.localhost"
ACTIVITIES = 10_000
EVENTS = 300


def _parent(pid: int) -> int:
    # /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces.
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (gone ones count 0)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def server_pids() -> list[int]:
    """This process's descendants: the gunicorn master and its workers."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = _parent(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
    found, frontier = [], [os.getpid()]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def backend_pids() -> list[int]:
    """The PostgreSQL backends connected to the bench database (the app server's)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [DB],
        )
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def walk(base: str, path: str, items_key: str) -> dict[str, object]:
    """Follow ``next`` from ``path`` to the end; count items and time it, with the CPU
    the app server and its database backends spent on it."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    # A first request opens the worker's database connection (then kept: DB_POOL).
    conn.request("GET", "/api/open-data/changes/?limit=1", headers={"Host": HOST})
    conn.getresponse().read()
    app, db = server_pids(), backend_pids()
    app_cpu, db_cpu = _cpu_seconds(app), _cpu_seconds(db)
    items = pages = 0
    started = time.perf_counter()
    seen_next = None
    while path:
        conn.request("GET", path, headers={"Host": HOST, "Accept": "application/json"})
        response = conn.getresponse()
        body = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        pages += 1
        got = len(body[items_key])
        items += got
        next_url = body["next"]
        if not next_url or next_url == seen_next or got == 0:
            break
        seen_next = next_url
        nxt = urlsplit(next_url)
        path = f"{nxt.path}?{nxt.query}"
    seconds = time.perf_counter() - started
    app_cpu, db_cpu = _cpu_seconds(app) - app_cpu, _cpu_seconds(db) - db_cpu
    conn.close()
    return {
        "items": items,
        "pages": pages,
        "seconds": round(seconds, 2),
        "items_per_s": round(items / seconds),
        "s_per_page": round(seconds / pages, 3),
        "app_cpu_s_per_page": round(app_cpu / pages, 3),
        "db_cpu_s_per_page": round(db_cpu / pages, 3),
        "load_average": os.getloadavg()[0],
    }


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def csv_in_process(territory: Any) -> dict[str, object]:
    """The whole CSV built in this process (as the view streams it), after one warm-up
    build: CPU seconds of this process and of its PostgreSQL backend."""
    from django.db import connection

    from tenant_apps.imports.exports import csv_lines

    "".join(csv_lines(territory))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = [cursor.fetchone()[0]]
    own, db = _own_cpu(), _cpu_seconds(backend)
    started = time.perf_counter()
    text = "".join(csv_lines(territory))
    seconds = time.perf_counter() - started
    return {
        "rows": text.count("\n") - 1,
        "megabytes": round(len(text.encode()) / 1e6, 1),
        "seconds": round(seconds, 2),
        "app_cpu_s": round(_own_cpu() - own, 2),
        "db_cpu_s": round(_cpu_seconds(backend) - db, 2),
        "load_average": os.getloadavg()[0],
    }


def download(base: str, path: str) -> dict[str, object]:
    """One download of ``path`` through the app server, with the CPU it and its
    database backends spent on it."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
    conn.request("GET", "/api/open-data/changes/?limit=1", headers={"Host": HOST})
    conn.getresponse().read()
    app, db = server_pids(), backend_pids()
    app_cpu, db_cpu = _cpu_seconds(app), _cpu_seconds(db)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Host": HOST})
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    app_cpu, db_cpu = _cpu_seconds(app) - app_cpu, _cpu_seconds(db) - db_cpu
    conn.close()
    rows = body.count(b"\n") - 1
    return {
        "rows": rows,
        "megabytes": round(len(body) / 1e6, 1),
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "app_cpu_s": round(app_cpu, 2),
        "db_cpu_s": round(db_cpu, 2),
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    territory = bench_territory(
        DB, slug="opendataville", name="Opendataville", lon=25.2797, lat=54.6872
    )
    from django.conf import settings
    from django.db import connection
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.models import User
    from tenant_apps.catalogue.generator import generate
    from tenant_apps.catalogue.models import Interest, Provider, ProviderStaff
    from tenant_apps.opendata import changes
    from tenant_apps.opendata.actions import sync_calendar
    from tenant_apps.opendata.models import CalendarFeed
    from tests.tenant_apps.opendata.calserver import calendar_server, ics_file

    figures: dict[str, object] = {}
    with tenant_context(territory):
        generate(
            territory=territory,
            activities=ACTIVITIES,
            providers=ACTIVITIES // 5,
            seed=1,
            published_share=1.0,
            pending_provider_share=0.0,
        )
        started = time.perf_counter()
        written = changes.reconcile()
        seconds = time.perf_counter() - started
    figures["feed_catch_up"] = {
        "entries": written,
        "seconds": round(seconds, 2),
        "entries_per_s": round(written / seconds),
    }
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()

    with tenant_context(territory):
        figures["catalogue_csv_in_process"] = csv_in_process(territory)
    connection.close()

    with gunicorn(DB, workers=1, host=HOST) as base:
        if sys.argv[1:] != ["csv"]:
            figures["changes_feed_walk_500"] = walk(
                base, "/api/open-data/changes/?limit=500", "items"
            )
            figures["catalogue_feed_walk_500"] = walk(
                base, "/api/open-data/activities/?page_size=500", "dataFeedElement"
            )
        figures["catalogue_csv_download"] = download(base, "/open-data/activities.csv")
    if sys.argv[1:] in (["feeds"], ["csv"]):
        report(f"opendata_{sys.argv[1]}", figures)
        return

    settings.CALENDAR_ALLOW_PRIVATE_ADDRESSES = True  # the calendar server is on loopback
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)
    events = [
        (
            f"bench-{n}@example.org",
            f"Workshop {n}",
            f"{start + datetime.timedelta(hours=n):%Y%m%dT%H%M%SZ}",
        )
        for n in range(EVENTS)
    ]
    with tenant_context(territory), calendar_server() as server:
        url = server.serve("/bench.ics", ics_file(*events))
        owner, _ = User.objects.get_or_create(email="calendar-bench@example.org")
        provider = Provider.objects.create(
            name="Calendar bench", slug="calendar-bench", status="verified", trusted=True
        )
        ProviderStaff.objects.create(provider=provider, user=owner, role="owner")
        venue = provider.venues.create(
            name="Hall", address="Main street 1", point=territory.map_center
        )
        calendar = CalendarFeed.objects.create(
            provider=provider, url=url, venue=venue, created_by=owner
        )
        calendar.interests.set(Interest.objects.filter(is_active=True)[:1])
        started = time.perf_counter()
        result = sync_calendar(calendar=calendar, territory=territory)
        seconds = time.perf_counter() - started
        figures["calendar_import"] = {
            "events": EVENTS,
            "created": result.created,
            "published": result.published,
            "problems": len(result.problems),
            "seconds": round(seconds, 2),
            "events_per_s": round(EVENTS / seconds),
        }
        started = time.perf_counter()
        again = sync_calendar(calendar=calendar, territory=territory)
        figures["calendar_resync_unchanged"] = {
            "unchanged": again.unchanged,
            "seconds": round(time.perf_counter() - started, 2),
        }
    report("opendata", figures)


if __name__ == "__main__":
    main()
