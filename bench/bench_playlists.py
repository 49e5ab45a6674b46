"""Playlist figures (issue #4).

A published playlist of 10 steps with 10,000 learners (10,000 accounts, about 55,000
step progress rows, a few thousand pieces of evidence waiting for review), in a
throw-away database. Measured, server side through Django's test client in this
process (middleware, session, membership check, queries, template): p50 and p95 of

1. the organiser's review queue (first page, a filtered page deep in the queue),
2. a learner's progress page,

with the number of queries of each, and the load average of the machine while it ran
(wall-clock figures on a shared 2-core machine grow with its load; the app process's
CPU time per request is printed too). Goal: p95 <= 50 ms each, constant query counts.

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_playlists.py`).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import median, percentile, recreate_database, report, setup_django

DB = "cities_bench_playlists"
LEARNERS = 10_000
STEPS = 10
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def main() -> None:
    os.environ["DEBUG"] = "0"
    recreate_database(DB)
    setup_django(DB)
    from django.conf import settings
    from django.contrib.gis.geos import Point
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.actions import grant_membership
    from shared_apps.accounts.models import User
    from tenant_apps.playlists import actions
    from tenant_apps.playlists.models import Enrolment, Step, StepProgress
    from tenants.actions import provision_territory
    from tenants.models import Territory

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    # No standby pool refill in a background thread while we measure.
    settings.STANDBY_REFILL_AFTER_PROVISIONING = False
    territory = provision_territory(
        name="Bench",
        slug="benchville",
        country="LT",
        default_language="lt",
        timezone_name="Europe/Vilnius",
        map_center=Point(25.28, 54.69, srid=4326),
        status=Territory.Status.ACTIVE,
    )
    admin = User.objects.create_user("admin@bench.example", "x")
    grant_membership(user=admin, territory=territory, role="territory_admin")
    started = time.perf_counter()
    learners = User.objects.bulk_create(
        [
            User(email=f"learner{i}@bench.example", display_name=f"Learner {i}")
            for i in range(LEARNERS)
        ],
        batch_size=2000,
    )
    learner = learners[0]
    grant_membership(user=learner, territory=territory, role="learner")
    rng = random.Random(4)
    with tenant_context(territory):
        playlist = actions.create_playlist(
            territory=territory,
            acting_user=admin,
            data=actions.PlaylistData(title="Become a young journalist", is_ordered=True),
        )
        steps = [
            actions.add_step(playlist=playlist, kind=Step.Kind.CHALLENGE, title=f"Step {n + 1}")
            for n in range(STEPS)
        ]
        actions.submit_playlist(
            playlist=playlist, territory=territory, acting_user=admin, is_admin=True
        )
        now = timezone.now()
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(playlist=playlist, user=u, joined_at=now) for u in learners],
            batch_size=5000,
        )
        rows = []
        for enrolment in enrolments:
            # Ordered: some steps done, then (sometimes) evidence waiting on the next.
            reached = min(STEPS, int(rng.expovariate(0.25)))
            for n in range(reached):
                rows.append(
                    StepProgress(
                        enrolment=enrolment,
                        playlist=playlist,
                        step=steps[n],
                        state="approved",
                        evidence_text="Done.",
                        submitted_at=now,
                        reviewed_at=now,
                    )
                )
            if reached < STEPS and rng.random() < 0.35:
                rows.append(
                    StepProgress(
                        enrolment=enrolment,
                        playlist=playlist,
                        step=steps[reached],
                        state="submitted",
                        evidence_text="Here is what I did this week.",
                        evidence_url="https://example.org/my-work",
                        submitted_at=now,
                    )
                )
        StepProgress.objects.bulk_create(rows, batch_size=5000)
        waiting = StepProgress.objects.filter(state="submitted").count()
        connection.cursor().execute("ANALYZE")
    setup_seconds = time.perf_counter() - started

    def client_for(user: User) -> Client:
        client = Client(HTTP_HOST=territory.host)
        with tenant_context(territory):
            client.force_login(user)
        return client

    def measure(client: Client, url: str) -> dict[str, float]:
        for _ in range(5):
            if client.get(url).status_code != 200:
                raise RuntimeError(url)
        # The test client resets Django's query log per request: count with a wrapper.
        queries: list[str] = []

        def count(execute: Any, sql: str, *args: Any) -> Any:
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            client.get(url)
        times, cpu = [], []
        for _ in range(ROUNDS):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            if response.status_code != 200:
                raise RuntimeError(url)
        return {
            "p50_ms": round(median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            # This process's CPU alone (no database time, no waiting for a core): a
            # figure that holds when the machine is shared.
            "app_cpu_p95_ms": round(percentile(cpu, 95), 1),
            "queries": len(queries),
        }

    organiser = client_for(admin)
    figures: dict[str, object] = {
        "learners": LEARNERS,
        "step_progress_rows": len(rows),
        "evidence_waiting": waiting,
        "setup_s": round(setup_seconds, 1),
        "rounds": ROUNDS,
    }
    for name, url in [
        ("review_queue_first_page", "/playlists/studio/review/"),
        (
            "review_queue_page_40_filtered",
            f"/playlists/studio/review/?playlist={playlist.pk}&state=submitted&page=40",
        ),
    ]:
        for key, value in measure(organiser, url).items():
            figures[f"{name}_{key}"] = value
    for key, value in measure(client_for(learner), f"/playlists/{playlist.pk}/progress/").items():
        figures[f"progress_page_{key}"] = value
    figures["load_average_1m"] = round(os.getloadavg()[0], 2)
    report("bench_playlists", figures)


if __name__ == "__main__":
    main()
