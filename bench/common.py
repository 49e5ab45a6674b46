"""Helpers shared by the benchmarks: a throw-away database, gunicorn, wrk, reporting.

Benchmarks run against their own database (never the demo's) on the project-local
PostgreSQL, and print their figures; each also writes bench/results/<name>.json.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Benchmarks run as scripts (python bench/bench_x.py) that put the checkout on sys.path
# before importing this module; the one live-server helper lives with the tests'.
from tests.servers import app_server, free_port

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PGPORT = os.environ.get("PGPORT", "55432")


def database_url(name: str) -> str:
    return f"postgis://postgres@127.0.0.1:{PGPORT}/{name}"


def recreate_database(name: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "db.sh"), "drop", name], check=True)
    subprocess.run(
        [str(ROOT / "scripts" / "db.sh"), "ensure", name], check=True, stdout=subprocess.DEVNULL
    )


def setup_django(db_name: str) -> None:
    """Point this process's Django at the benchmark database and set it up."""
    os.environ["DATABASE_URL"] = database_url(db_name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
    os.environ["DB_POOL"] = "0"
    sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
    import django

    django.setup()


def bench_territory(db_name: str, *, slug: str, name: str, lon: float, lat: float) -> Any:
    """A new benchmark database with one active territory, Django set up in this process.

    No standby schemas are built in the background while figures are taken (a chaos run
    also restarts PostgreSQL under them)."""
    recreate_database(db_name)
    os.environ["STANDBY_REFILL_AFTER_PROVISIONING"] = "0"
    setup_django(db_name)
    from django.contrib.gis.geos import Point
    from django.core.management import call_command

    from tenants.actions import provision_territory
    from tenants.models import Territory

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    return provision_territory(
        name=name,
        slug=slug,
        country="LT",
        default_language="lt",
        languages=["en"],
        timezone_name="Europe/Vilnius",
        map_center=Point(lon, lat, srid=4326),
        status=Territory.Status.ACTIVE,
    )


def wizard_answers(slug: str) -> dict[str, dict[str, object]]:
    """What a bench city types into each step of the sign-up wizard."""
    return {
        "territory": {
            "name": slug.title(),
            "kind": "city",
            "country": "LT",
            "young_people": "1000",
            "contact_name": "Bench",
            "contact_email": f"{slug}@bench.example",
        },
        "address": {"slug": slug},
        "branding": {"primary_color": "#7a1f2b", "accent_color": "#f2c14e"},
        "place": {
            "default_language": "lt",
            "languages": ["en"],
            "timezone": "Europe/Vilnius",
            "latitude": "54.9",
            "longitude": "23.9",
        },
        "administrator": {
            "email": f"{slug}@bench.example",
            "password1": "a long bench passphrase",
            "password2": "a long bench passphrase",
            "accept_terms": "on",
            "accept_dpa": "on",
        },
        "plan": {"plan": "pilot"},
    }


def server_env(db_name: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(db_name),
        "DEBUG": "0",
        "LOCAL_DEFAULTS": "1",  # generated keys, in-process tasks: meant here
        "DB_POOL": "1",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESSLOG": "",
        **extra,
    }


@contextmanager
def gunicorn(
    db_name: str, *, workers: int, host: str = "localhost", **extra_env: str
) -> Iterator[str]:
    """Run the app the way production does (tests/servers.py app_server); yields the
    base URL once it answers. ``extra_env``: more environment for the server (e.g. a
    bench-only URLconf). Error lines the server logged are printed afterwards."""
    port = free_port()
    env = server_env(db_name, WEB_CONCURRENCY=str(workers), **extra_env)
    handle, name = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
    os.close(handle)
    log = Path(name)
    try:
        with app_server(env, port=port, host=host, log=log) as base:
            yield base
        lines = log.read_text(errors="replace").splitlines()
        problems = [line for line in lines if "ERROR" in line or "CRITICAL" in line]
        if problems:
            print(f"gunicorn logged {len(problems)} error lines, e.g. {problems[0][:300]}")
    finally:
        log.unlink(missing_ok=True)


def wrk(
    url: str, *, host: str, seconds: int = 10, connections: int = 16, threads: int = 2
) -> dict[str, float]:
    """Requests per second and latency percentiles from wrk (after a short warm-up)."""
    base = ["wrk", "-t", str(threads), "-c", str(connections), "-H", f"Host: {host}", "--latency"]
    subprocess.run([*base, "-d", "2s", url], check=True, capture_output=True)
    out = subprocess.run(
        [*base, "-d", f"{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        if match:
            value, unit = float(match.group(1)), match.group(2)
            figures[f"p{pct}_ms"] = (
                value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
            )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = float(errors.group(1)) if errors else 0.0
    return figures


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(name: str, figures: dict[str, object]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str))
    for key, value in figures.items():
        print(f"{name}: {key} = {value}")
