"""Catalogue import figures (issue 18, A1).

A 50,000-row CSV (as a city's own catalogue: 400 providers, 800 venues, weekly,
date-range and single-session schedules, one to three interests each) is uploaded,
confirmed and run by the import's background task (in-process: no REDIS_URL), checked
by the editor's forms row by row and written in batches with the search and schedule
indexes. Goal: <= 60 s. Then the same file again: every row updates (external ids).

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_import.py`).
Rows: BENCH_IMPORT_ROWS (default 50000).
BENCH_CHECK_ONLY=1: only read and check the rows (no writes), printing the Python CPU
seconds and rows/s of the checking alone; BENCH_PROFILE=1 adds cProfile's top entries.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import bench_territory, report

DB = "cities_bench_import"
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))
PROVIDERS, VENUES = 400, 800
CENTRE = (25.28, 54.69)
INTERESTS = ["robotics", "music", "arts", "sport", "digital", "media", "languages", "nature"]


def make_csv(rows: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    today = datetime.datetime.now(datetime.UTC).date()
    buffer = io.StringIO()
    columns = [
        "external_id", "title", "summary", "description", "interests", "age_min", "age_max",
        "is_free", "price", "schedule_kind", "starts_on", "ends_on", "weekdays",
        "start_time", "end_time", "sessions", "join_method", "provider_external_id",
        "provider_name", "provider_kind", "venue_name", "venue_address",
        "venue_latitude", "venue_longitude", "venue_step_free",
    ]  # fmt: skip
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for n in range(rows):
        provider = rng.randrange(PROVIDERS)
        venue = provider * 2 + rng.randrange(2)
        kind = rng.choices(["weekly", "range", "sessions"], weights=[7, 2, 1])[0]
        start = today - datetime.timedelta(days=rng.randrange(0, 60))
        end = today + datetime.timedelta(days=rng.randrange(30, 200))
        sessions = ""
        if kind == "sessions":
            days = sorted(today + datetime.timedelta(days=rng.randrange(1, 90)) for _ in range(3))
            sessions = "; ".join(f"{d.isoformat()} 15:00-16:30" for d in days)
        free = rng.random() < 0.6
        writer.writerow(
            [
                f"p-{n}",
                f"Programme {n}: {rng.choice(INTERESTS)} for young people",
                "Learn by doing, with friends, every week.",
                f"<p>An open programme of the city's network, row {n}.</p>",
                ", ".join(rng.sample(INTERESTS, rng.randint(1, 3))),
                rng.choice([6, 10, 12, 14]),
                rng.choice([16, 18, 25]),
                "yes" if free else "no",
                "" if free else f"{rng.randint(5, 60)}.00",
                kind,
                "" if kind == "sessions" else start.isoformat(),
                "" if kind == "sessions" else end.isoformat(),
                "1, 3" if kind == "weekly" else "",
                "" if kind == "sessions" else "16:00",
                "" if kind == "sessions" else "17:30",
                sessions,
                "interested",
                f"org-{provider}",
                f"Organisation {provider}",
                "ngo",
                f"Venue {venue}",
                f"Street {venue}",
                f"{CENTRE[1] + (venue % 40 - 20) * 0.002:.6f}",
                f"{CENTRE[0] + (venue // 40 - 10) * 0.003:.6f}",
                "yes" if venue % 3 == 0 else "no",
            ]
        )
    return buffer.getvalue().encode()


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    return int(row[0])


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a local server process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # Fields 14 and 15 of stat (utime, stime), counted after the ")" of the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_once(territory, user, content: bytes, label: str) -> dict[str, object]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import tenant_context

    from tenant_apps.imports.actions import confirm_import, start_import
    from tenant_apps.imports.models import ImportJob
    from tenant_apps.imports.rows import suggest_columns

    with tenant_context(territory):
        started = time.perf_counter()
        job = start_import(
            territory=territory,
            acting_user=user,
            upload=SimpleUploadedFile("catalogue.csv", content),
            kind="activities",
            source="city",
        )
        uploaded = time.perf_counter() - started
        columns = suggest_columns(
            "activities", next(csv.reader(io.StringIO(content[:4000].decode()))), {}
        )
        confirmed, cpu = time.perf_counter(), time.process_time()
        backend = _backend_pid()
        database_cpu = _cpu_seconds(backend)
        # No broker here: the task runs in-process when the confirmation commits.
        confirm_import(job=job, territory=territory, acting_user=user, columns=columns)
        seconds = time.perf_counter() - confirmed
        cpu_seconds = time.process_time() - cpu
        database_cpu = _cpu_seconds(backend) - database_cpu
        if _backend_pid() != backend:
            database_cpu = float("nan")  # the run used another connection: not measured
        job = ImportJob.objects.get(pk=job.pk)
        if job.status != ImportJob.Status.DONE:
            raise SystemExit(f"import failed: {job.error_count} errors, {job.errors[:3]}")
        return {
            f"{label} status": job.status,
            f"{label} created": job.created_count,
            f"{label} updated": job.updated_count,
            f"{label} upload check s": round(uploaded, 1),
            f"{label} import s": round(seconds, 1),
            f"{label} rows/s": round(ROWS / seconds),
            # This process's own CPU time (PostgreSQL's is apart): on a machine shared
            # with other work, wall time says more about the neighbours than the import.
            f"{label} python cpu s": round(cpu_seconds, 1),
            # The CPU time of this connection's PostgreSQL process (the same machine):
            # with the Python figure, what the import costs whatever the neighbours do.
            f"{label} database cpu s": round(database_cpu, 1),
            f"{label} load average after": round(os.getloadavg()[0], 1),
        }


def check_only(territory, content: bytes) -> dict[str, object]:
    """Read and check every row as the import's task does, writing nothing: the
    Python CPU the checking costs per row, whatever the database does."""
    import cProfile
    import pstats

    from django.core.files.base import ContentFile
    from django_tenants.utils import tenant_context

    from tenant_apps.imports.readers import open_table
    from tenant_apps.imports.rows import ActivityChecker, suggest_columns

    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") == "1" else None
    with tenant_context(territory):
        columns = suggest_columns(
            "activities", next(csv.reader(io.StringIO(content[:4000].decode()))), {}
        )
        started, cpu = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        table = open_table(ContentFile(content), "csv")
        checker = ActivityChecker(territory=territory, source="city", columns=columns)
        checked = errors = 0
        for index, raw in enumerate(table.rows):
            outcome = checker.check(index + 2, raw)
            checked += 1
            errors += bool(outcome.errors)
        if profile is not None:
            profile.disable()
        cpu_seconds = time.process_time() - cpu
        seconds = time.perf_counter() - started
    if profile is not None:
        pstats.Stats(profile).sort_stats(
            os.environ.get("BENCH_PROFILE_SORT", "tottime")
        ).print_stats(45)
    if errors:
        raise SystemExit(f"{errors} rows failed the check")
    return {
        "checked rows": checked,
        "check python cpu s": round(cpu_seconds, 2),
        "check ms per row (cpu)": round(cpu_seconds * 1000 / checked, 3),
        "check rows/s (cpu)": round(checked / cpu_seconds),
        "check wall s": round(seconds, 2),
        "load average after": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    territory = bench_territory(DB, slug="importville", name="Importville", lon=25.28, lat=54.69)
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.models import User
    from tenant_apps.catalogue.models import Activity

    user = User.objects.create(email="admin@bench.example")
    content = make_csv(ROWS)
    if os.environ.get("BENCH_CHECK_ONLY") == "1":
        # Figures of the checking alone: printed, not saved over the import's results.
        for name, value in check_only(territory, content).items():
            print(f"{name}: {value}")
        return
    figures: dict[str, object] = {
        "rows": ROWS,
        "file MB": round(len(content) / 2**20, 1),
        "cpu cores": os.cpu_count(),
        "load average before": round(os.getloadavg()[0], 1),
    }
    figures |= run_once(territory, user, content, "first import")
    figures |= run_once(territory, user, content, "re-import")
    with tenant_context(territory):
        figures["activities"] = Activity.objects.count()
        figures["public"] = Activity.objects.filter(is_public=True).count()
        figures["with search vector"] = Activity.objects.exclude(search_vector=None).count()
    figures["goal"] = "first import <= 60 s"
    report("bench_import", figures)


if __name__ == "__main__":
    main()
