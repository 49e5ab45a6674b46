"""Production path figures (issue #9).

1. Requests per second through nginx -> gunicorn on this machine for the territory home,
   the network home and an API endpoint, with 1 and 2 gunicorn worker processes (the
   scaling from 1 to 2), and the same pages straight from gunicorn (nginx's cost).
   The catalogue's search page lands with issue #3: add it to PAGES (one line).
2. Tenants per database: time of `migrate_schemas` over N up-to-date territory schemas
   with the standard and the multiprocessing executor, catalog rows and disk per
   empty territory schema, and the time to back up one territory.

nginx runs the shipped site (deploy/nginx) with one extra plain-HTTP server on loopback
that includes the same locations (so TLS termination is NOT part of the figure), and
loopback exempt from the rate limits. wrk runs on the same 2 cores as the servers.

Run: `make bench` (or `.venv/bin/python bench/bench_production.py`).
BENCH_SCHEMAS (default 40) territories are provisioned for the migration figures;
BENCH_ROUNDS (2) x BENCH_SECONDS (8) per page and worker count. The machine is shared
(2 cores, other processes): load averages before and after are printed with the figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench.common import (
    ROOT,
    database_url,
    free_port,
    gunicorn,
    median,
    recreate_database,
    report,
    setup_django,
    wrk,
)
from tests.servers import nginx_render

DB = "cities_bench_production"
SCHEMAS = int(os.environ.get("BENCH_SCHEMAS", "40"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
# (figure name, host, path). The catalogue's search page (issue #3) is one more line:
#   ("territory_search", "bench-a.localhost", "/activities/?q=robotics"),
PAGES = [
    ("territory_home", "bench-a.localhost", "/"),
    ("network_home", "localhost", "/"),
    ("api_territory", "bench-a.localhost", "/api/territory/"),
]


@contextmanager
def nginx_in_front(upstream: str) -> Iterator[str]:
    """The shipped site with a plain-HTTP loopback server; yields its base URL."""
    nginx = "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as folder:
        root = Path(folder)
        (root / "logs").mkdir()
        (root / "temp").mkdir()
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(root / "tls.key"),
                "-out",
                str(root / "tls.crt"),
            ],
            check=True,
            capture_output=True,
        )
        http_port, https_port, bench_port = free_port(), free_port(), free_port()
        nginx_render()(
            {
                "PLATFORM_DOMAIN": "localhost",
                "UPSTREAM": upstream,
                "HTTP_LISTEN": f"127.0.0.1:{http_port}",
                "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
                "TLS_CERT": str(root / "tls.crt"),
                "TLS_KEY": str(root / "tls.key"),
                "STATIC_ROOT": str(ROOT / "staticfiles"),
                "MEDIA_ROOT": str(root / "media"),
                "PRIVATE_MEDIA_ROOT": str(root / "private"),
                "CUSTOM_CERT_DIR": str(root),
                "ACME_ROOT": str(root),
                "LOG_DIR": str(root / "logs"),
                "RATE_LIMIT_EXEMPT": "127.0.0.1 1;",
            },
            root / "site",
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        snippets = root / "site" / "cities-of-learning.d"
        (root / "nginx.conf").write_text(
            f"""{user}worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {root}/temp/body;
    proxy_temp_path {root}/temp/proxy;
    fastcgi_temp_path {root}/temp/fastcgi;
    uwsgi_temp_path {root}/temp/uwsgi;
    scgi_temp_path {root}/temp/scgi;
    include {root}/site/cities-of-learning.conf;
    server {{
        listen 127.0.0.1:{bench_port};
        server_name _;
        include {snippets}/cities-of-learning-locations.conf;
    }}
}}
"""
        )
        process = subprocess.Popen(
            [nginx, "-p", str(root), "-c", str(root / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            time.sleep(0.5)
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "nginx")
            yield f"http://127.0.0.1:{bench_port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def catalog_cache_per_schema(connection: object, schemas: int) -> float:
    """Memory one database backend keeps for the catalog of each schema it touches
    (CacheMemoryContext), read from pg_backend_memory_contexts (PostgreSQL 14+)."""

    def cache_bytes(cursor: object) -> int:
        cursor.execute(  # type: ignore[attr-defined]
            "SELECT sum(total_bytes) FROM pg_backend_memory_contexts "
            "WHERE name = 'CacheMemoryContext' OR parent = 'CacheMemoryContext'"
        )
        return int(cursor.fetchone()[0])  # type: ignore[attr-defined]

    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(
            "SELECT n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname LIKE 't\\_%%' AND c.relkind = 'r'"
        )
        tables = cursor.fetchall()
        before = cache_bytes(cursor)
        for schema, table in tables:
            # Names read from pg_catalog just above, quoted.
            cursor.execute(f'SELECT 1 FROM "{schema}"."{table}" LIMIT 1')  # noqa: S608
        after = cache_bytes(cursor)
    return round((after - before) / schemas / 1024, 1)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _parent_and_ticks(pid: int) -> tuple[int, int]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime


def descendants(root: int) -> list[int]:
    """Processes under ``root`` (from /proc), ``root`` included."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent, _ticks = _parent_and_ticks(int(entry.name))
            except (OSError, IndexError):
                continue
            parents.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(parents.get(pid, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += _parent_and_ticks(pid)[1]
        except (OSError, IndexError):
            continue
    return total / CLOCK_TICKS


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _is_gunicorn(pid: int) -> bool:
    return "gunicorn" in _cmdline(pid)


def _is_nginx(pid: int) -> bool:
    return "nginx" in _cmdline(pid)


def postmaster_pid() -> int:
    data = ROOT / ".data" / f"pg-{os.environ.get('PGPORT', '55432')}" / "postmaster.pid"
    return int(data.read_text().split()[0])


def main() -> None:
    recreate_database(DB)
    setup_django(DB)
    from django.contrib.gis.geos import Point
    from django.core.management import call_command
    from django.db import connection

    from shared_apps.ops.backup import backup_territory
    from tenants.actions import provision_territory
    from tenants.models import Territory

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)

    def provision(slug: str) -> Territory:
        return provision_territory(
            name=slug.replace("-", " ").title(),
            slug=slug,
            country="LT",
            default_language="lt",
            languages=["en"],
            timezone_name="Europe/Vilnius",
            map_center=Point(25.28, 54.69, srid=4326),
            status=Territory.Status.ACTIVE,
        )

    started = time.perf_counter()
    first = provision("bench-a")
    for i in range(1, SCHEMAS):
        provision(f"bench-{i:03d}")
    figures: dict[str, object] = {
        "territories": SCHEMAS,
        "provision_seconds_each": round((time.perf_counter() - started) / SCHEMAS, 3),
    }

    # ---- tenants per database -----------------------------------------------------------
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s",
            [first.schema_name],
        )
        (relations,) = cursor.fetchone()
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            [first.schema_name],
        )
        (schema_bytes,) = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        (database_bytes,) = cursor.fetchone()
    figures["relations_per_territory_schema"] = relations
    figures["empty_territory_schema_kib"] = round((schema_bytes or 0) / 1024)
    figures["database_mib"] = round(database_bytes / 1024 / 1024, 1)

    figures["catalog_cache_kib_per_schema"] = catalog_cache_per_schema(connection, SCHEMAS)

    def migrate(executor: str) -> float:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(DB),
            "DB_POOL": "0",
            "LOCAL_DEFAULTS": "1",
        }
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "migrate_schemas",
                "--tenant",
                "--noinput",
                "-v",
                "0",
                f"--executor={executor}",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started

    standard = median([migrate("standard") for _ in range(2)])
    parallel = median([migrate("multiprocessing") for _ in range(2)])
    figures["migrate_tenants_standard_s"] = round(standard, 2)
    figures["migrate_tenants_multiprocessing_s"] = round(parallel, 2)
    figures["migrate_ms_per_schema_standard"] = round(standard / SCHEMAS * 1000, 1)
    figures["migrate_ms_per_schema_multiprocessing"] = round(parallel / SCHEMAS * 1000, 1)

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        archive = backup_territory(first, Path(folder))
        figures["backup_one_territory_s"] = round(time.perf_counter() - started, 2)
        figures["backup_archive_kib"] = round(archive.stat().st_size / 1024)
    connection.close()

    # ---- requests per second ---------------------------------------------------------------
    # Rounds alternate 1 and 2 workers so a burst of load from elsewhere on the machine
    # does not land on one side only; each figure is the median of the rounds.
    figures["load_average_before"] = round(os.getloadavg()[0], 2)
    # A recycled worker would take its CPU time with it: no recycling while measuring.
    os.environ["GUNICORN_MAX_REQUESTS"] = "0"
    runs: dict[str, list[dict[str, float]]] = {}
    for _round in range(ROUNDS):
        for workers in (1, 2):
            with gunicorn(DB, workers=workers) as base:
                upstream = base.removeprefix("http://")
                with nginx_in_front(upstream) as front:
                    for name, host, path in PAGES:
                        # CPU spent per request by gunicorn, nginx and PostgreSQL:
                        # unlike requests per second, hardly moved by other load.
                        tiers = {
                            "app": [p for p in descendants(os.getpid()) if _is_gunicorn(p)],
                            "nginx": [p for p in descendants(os.getpid()) if _is_nginx(p)],
                            "db": descendants(postmaster_pid()),
                        }
                        before = {tier: cpu_seconds(pids) for tier, pids in tiers.items()}
                        result = wrk(front + path, host=host, seconds=SECONDS)
                        requests = max(1.0, result["rps"] * SECONDS)
                        for tier, pids in tiers.items():
                            spent = cpu_seconds(pids) - before[tier]
                            result[f"cpu_ms_{tier}"] = round(spent / requests * 1000, 2)
                        runs.setdefault(f"{name}_nginx_{workers}w", []).append(result)
                        runs.setdefault(f"{name}_gunicorn_{workers}w", []).append(
                            wrk(base + path, host=host, seconds=SECONDS)
                        )
    for key, results in runs.items():
        cpu = {
            name: round(median([r[name] for r in results]), 2)
            for name in ("cpu_ms_app", "cpu_ms_nginx", "cpu_ms_db")
            if name in results[0]
        }
        figures[key] = {
            **cpu,
            "rps": round(median([r["rps"] for r in results]), 1),
            "p50_ms": round(median([r.get("p50_ms", 0.0) for r in results]), 1),
            "p99_ms": round(median([r.get("p99_ms", 0.0) for r in results]), 1),
            "rps_runs": [r["rps"] for r in results],
            "non_2xx": sum(r["non_2xx"] for r in results),
        }
    for name, _host, _path in PAGES:
        one = figures[f"{name}_nginx_1w"]["rps"]  # type: ignore[index]
        two = figures[f"{name}_nginx_2w"]["rps"]  # type: ignore[index]
        figures[f"{name}_scaling_1_to_2_workers"] = round(two / one, 2)
    figures["load_average_after"] = round(os.getloadavg()[0], 2)
    # What one core could serve if it did nothing else (app + nginx + database).
    for name, _host, _path in PAGES:
        page = figures[f"{name}_nginx_2w"]
        per_request = page["cpu_ms_app"] + page["cpu_ms_nginx"] + page["cpu_ms_db"]  # type: ignore[index]
        figures[f"{name}_requests_per_core_second"] = round(1000 / per_request, 1)
    report("production", figures)


if __name__ == "__main__":
    main()
