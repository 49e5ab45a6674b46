"""Onboarding figures (issue #6): from the wizard's final submit to the new subdomain
answering 200, with 10, 100 and 1,000 territories already in the database.

Each probe drives the wizard over HTTP (gunicorn, 2 workers) up to its last step,
then times: POST "Create my site" -> follow the one-time sign-in to the new
subdomain -> GET the new site's home page -> 200. Between probes the standby pool
is left to refill (in the server's background thread: no broker here), which is
the steady state the pool is designed for. A probe with the pool emptied on purpose
shows the fallback (schema created by running migrations).

Filler territories: creating 1,000 by running migrations takes ~10 minutes. Here
each filler still goes through the real tenants.actions.provision_territory (row,
domain, schema, audit), but its schema is a standby built by copying one migrated
standby's DDL and rows with pg_dump | psql under a new name, instead of running the
migrations once per schema. The copies are complete schemas (same tables, indexes,
constraints, django_migrations rows), so the database holds 1,000 real schemas.

Run: `make bench` (or `.venv/bin/python bench/bench_onboarding.py`).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from bench.common import (
    PGPORT,
    free_port,
    median,
    recreate_database,
    report,
    server_env,
    setup_django,
    wizard_answers,
)

DB = "cities_bench_onboarding"
SIZES = (10, 100, 1000)
PROBES = int(os.environ.get("BENCH_PROBES", "5"))
PGBIN = "/usr/lib/postgresql/15/bin"
POOL = 3


def psql(sql: str) -> None:
    subprocess.run(
        [
            f"{PGBIN}/psql",
            "-h",
            "127.0.0.1",
            "-p",
            PGPORT,
            "-U",
            "postgres",
            "-d",
            DB,
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
        ],
        input=sql,
        text=True,
        check=True,
        capture_output=True,
    )


def copy_standbys(template: str, count: int) -> list[str]:
    """New standby schemas as copies of a migrated one (pg_dump of its DDL and rows)."""
    dump = subprocess.run(
        [
            f"{PGBIN}/pg_dump",
            "-h",
            "127.0.0.1",
            "-p",
            PGPORT,
            "-U",
            "postgres",
            "-n",
            template,
            "--no-owner",
            "--no-privileges",
            DB,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    dump = "\n".join(
        line
        for line in dump.splitlines()
        if not line.startswith("SELECT pg_catalog.set_config('search_path'")
    )
    names = []
    batch: list[str] = []
    for _ in range(count):
        name = "standby_" + secrets.token_hex(6)
        names.append(name)
        batch.append(dump.replace(template, name))
        if len(batch) == 50:
            psql("\n".join(batch))
            batch = []
    if batch:
        psql("\n".join(batch))
    return names


def main() -> None:
    recreate_database(DB)
    setup_django(DB)
    from django.conf import settings
    from django.contrib.gis.geos import Point
    from django.core.management import call_command
    from django.utils import timezone

    from tenants import pool
    from tenants.actions import provision_territory
    from tenants.models import StandbySchema, Territory

    settings.STANDBY_REFILL_AFTER_PROVISIONING = False
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    pool.refill_pool(1)
    template = StandbySchema.objects.get().name
    # The template stays out of the pool (its schema is kept, its row is not).
    StandbySchema.objects.filter(name=template).delete()

    def fill_to(count: int) -> float:
        started = time.perf_counter()
        missing = count - Territory.objects.count()
        if missing <= 0:
            return 0.0
        names = copy_standbys(template, missing)
        StandbySchema.objects.bulk_create(
            StandbySchema(
                name=name,
                state=StandbySchema.State.READY,
                fingerprint=pool.migrations_fingerprint(),
                migrated_at=timezone.now(),
            )
            for name in names
        )
        existing = Territory.objects.count()
        for i in range(existing, count):
            provision_territory(
                name=f"Filler {i}",
                slug=f"filler-{i:04d}",
                country="LT",
                default_language="lt",
                languages=["en"],
                timezone_name="Europe/Vilnius",
                map_center=Point(25.28, 54.69, srid=4326),
                status=Territory.Status.ACTIVE,
            )
        return time.perf_counter() - started

    port = free_port()
    env = server_env(
        DB,
        WEB_CONCURRENCY="2",
        BIND=f"127.0.0.1:{port}",
        STANDBY_POOL_SIZE=str(POOL),
        PLATFORM_PORT=str(port),
        ACCOUNT_EMAIL_VERIFICATION="optional",
    )
    base = f"http://127.0.0.1:{port}"

    def wait_for_pool(size: int) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if (
                StandbySchema.objects.filter(
                    state="ready", fingerprint=pool.migrations_fingerprint()
                ).count()
                >= size
            ):
                return
            time.sleep(0.3)
        raise RuntimeError("the standby pool was not refilled")

    def csrf(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]

    def probe(slug: str) -> float:
        wizard = requests.Session()
        wizard.headers["Host"] = f"localhost:{port}"
        page = wizard.get(base + "/join/").text
        wizard.post(base + "/join/", {"csrfmiddlewaretoken": csrf(page)}, allow_redirects=False)
        steps = wizard_answers(slug)
        for step, data in steps.items():
            html = wizard.get(f"{base}/join/step/{step}/").text
            answer = wizard.post(
                f"{base}/join/step/{step}/",
                {**data, "csrfmiddlewaretoken": csrf(html)},
                allow_redirects=False,
            )
            if answer.status_code != 302:
                raise RuntimeError(f"{step}: {answer.status_code}")
            if answer.headers["Location"] == "/join/step/administrator/code/":
                # The one-time code proving the address, read back from the outbox.
                from shared_apps.ops.models import OutboundEmail

                body = OutboundEmail.objects.filter(to=[data["email"]]).latest("created_at").body
                code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
                html = wizard.get(base + "/join/step/administrator/code/").text
                answer = wizard.post(
                    base + "/join/step/administrator/code/",
                    {"code": code, "csrfmiddlewaretoken": csrf(html)},
                    allow_redirects=False,
                )
                if answer.status_code != 302:
                    raise RuntimeError(f"code: {answer.status_code}")
        html = wizard.get(f"{base}/join/step/review/").text
        token = csrf(html)

        started = time.perf_counter()
        answer = wizard.post(
            f"{base}/join/step/review/", {"csrfmiddlewaretoken": token}, allow_redirects=False
        )
        location = answer.headers["Location"]
        # With the pool empty the schema is built in the background: wait on the
        # wizard's page for it, as the browser does.
        deadline = time.monotonic() + 120
        while location == "/join/preparing/" and time.monotonic() < deadline:
            time.sleep(0.2)
            location = wizard.get(base + location, allow_redirects=False).headers.get(
                "Location", "/join/preparing/"
            )
        host = f"{slug}.localhost"
        if not location.startswith(f"http://{host}:{port}/welcome/start/"):
            raise RuntimeError(f"unexpected redirect {location}")
        site = requests.Session()
        site.headers["Host"] = f"{host}:{port}"
        path = location.split(f":{port}", 1)[1]
        welcome = site.get(base + path)  # follows to /welcome/ on the new host
        home = site.get(base + "/")
        elapsed = time.perf_counter() - started
        if welcome.status_code != 200 or home.status_code != 200:
            raise RuntimeError(f"new site answered {welcome.status_code}/{home.status_code}")
        return elapsed

    figures: dict[str, object] = {
        "probes_per_size": PROBES,
        "gunicorn_workers": 2,
        "standby_pool_size": POOL,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        for size in SIZES:
            fill_seconds = fill_to(size)
            pool.refill_pool(POOL)
            timings = []
            for n in range(PROBES):
                wait_for_pool(POOL)
                timings.append(probe(f"probe-{size}-{n}"))
            figures[f"submit_to_200_with_{size}_territories"] = {
                "p50_s": round(median(timings), 3),
                "max_s": round(max(timings), 3),
                "filler_seconds": round(fill_seconds, 1),
            }
        # The fallback, for comparison: pool emptied, the schema is built in the
        # background while the wizard's page waits (bench_releases.py times the answer).
        StandbySchema.objects.all().delete()
        figures["submit_to_200_pool_empty_fallback_s"] = round(probe("probe-empty"), 3)
    finally:
        process.terminate()
        process.wait(timeout=30)
    figures["territories_at_end"] = Territory.objects.count()
    report("onboarding", figures)


if __name__ == "__main__":
    main()
