"""Open data figures (issue 18, A1 calendars and A2 feeds).

1. The changes feed caught up from scratch (``changes.reconcile``) over 10,000 public
   activities: entries written per second (what a territory importing its catalogue
   in bulk, or `ensure_territory_setup`, costs once).
2. Reading each whole feed through gunicorn (one sync worker, as in production), one
   page after the other following ``next``, 500 items a page: items per second.
3. A provider's calendar of 300 events imported by ``sync_calendar`` from a real HTTP
   server on loopback (fetch, parse, each event through the catalogue's actions):
   events per second, then a re-sync of the unchanged calendar.

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_opendata.py`).
"""

from __future__ import annotations

import datetime
import http.client
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bench_territory, gunicorn, report

DB = "cities_bench_opendata"
HOST = "opendataville.localhost"
ACTIVITIES = 10_000
EVENTS = 300


def walk(base: str, path: str, items_key: str) -> dict[str, object]:
    """Follow ``next`` from ``path`` to the end; count items and time it."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
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
    conn.close()
    return {
        "items": items,
        "pages": pages,
        "seconds": round(seconds, 2),
        "items_per_s": round(items / seconds),
        "ms_per_page": round(seconds * 1000 / pages, 1),
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

    with gunicorn(DB, workers=1, host=HOST) as base:
        figures["changes_feed_walk_500"] = walk(base, "/api/open-data/changes/?limit=500", "items")
        figures["catalogue_feed_walk_500"] = walk(
            base, "/api/open-data/activities/?page_size=500", "dataFeedElement"
        )

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
