"""PgBouncer in session mode (deploy/pgbouncer/pgbouncer.ini) in front of the test
cluster, with the app behind it: a real pgbouncer and a real gunicorn.

One gunicorn worker with its connection pool serves two territories alternately
through PgBouncer: django-tenants switches the schema on the same pooled connection
(one SET search_path per switch), and each site must show only its own rows. Rows the
server needs are committed, and deleted at the end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import Provider
from tenants.models import Territory
from tests.servers import ROOT, PgBouncer, binary, port, primary_port, python_env, running
from tests.tenant_apps.catalogue.factories import make_provider

pytestmark = pytest.mark.slow
PREFIX = "Bouncer test "


@dataclass
class Stack:
    bouncer: PgBouncer
    base: str
    log: Path


@pytest.fixture(scope="module")
def bouncer(django_db_setup: None, django_db_blocker: Any) -> Iterator[PgBouncer]:
    with django_db_blocker.unblock():
        server = PgBouncer(primary_port(), port("pgbouncer"), connection.settings_dict["NAME"])
    try:
        with running(server.command, listen_port=server.port, log=server.folder / "stdout.log"):
            yield server
    finally:
        shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def stack(
    bouncer: PgBouncer, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    env = python_env(
        BIND=f"127.0.0.1:{port('gunicorn')}",
        WEB_CONCURRENCY="1",
        PLATFORM_DOMAIN="localhost",
        DEBUG="0",
        GUNICORN_ACCESSLOG="",
    )
    # The app's pool (as in production) on PgBouncer: one worker, connections kept.
    env.update(DATABASE_URL=bouncer.url(), DB_POOL="1", DB_POOL_MIN="1", DB_POOL_MAX="2")
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")]
    log = tmp_path_factory.mktemp("pgbouncer") / "gunicorn.log"
    with django_db_blocker.unblock():
        for slug in ("aurora", "borealis"):
            make_provider(Territory.objects.get(slug=slug), f"{PREFIX}{slug}")
        try:
            with running(command, listen_port=port("gunicorn"), env=env, log=log):
                yield Stack(bouncer, f"http://127.0.0.1:{port('gunicorn')}", log)
        finally:
            for territory in Territory.objects.filter(slug__in=["aurora", "borealis"]):
                with tenant_context(territory):
                    Provider.objects.filter(name__startswith=PREFIX).delete()


def get_json(stack: Stack, host: str, path: str) -> Any:
    request = urllib.request.Request(stack.base + path, headers={"Host": host})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (loopback)
        return json.loads(response.read())


def test_the_app_switches_territories_through_pgbouncer_in_session_mode(stack: Stack) -> None:
    for _ in range(6):
        for slug, other in (("aurora", "borealis"), ("borealis", "aurora")):
            names = {
                row["name"]
                for row in get_json(stack, f"{slug}.localhost", "/api/providers/")["results"]
            }
            assert f"{PREFIX}{slug}" in names, stack.log.read_text()[-2000:]
            assert f"{PREFIX}{other}" not in names
    # The test database's name (cities_test, or cities_test_gw1 under pytest-xdist).
    ours = stack.bouncer.dbname
    pools = [row for row in stack.bouncer.admin("SHOW POOLS") if row["database"] == ours]
    assert pools and all(row["pool_mode"] == "session" for row in pools)
    stats = [row for row in stack.bouncer.admin("SHOW STATS") if row["database"] == ours]
    assert stats and stats[0]["total_xact_count"] >= 12
    # 12 pages, 2 territories: served over the worker's few pooled server connections.
    servers = [row for row in stack.bouncer.admin("SHOW SERVERS") if row["database"] == ours]
    assert 1 <= len(servers) <= 3


def test_session_mode_keeps_a_schema_and_resets_it_for_the_next_client(
    bouncer: PgBouncer, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        schema = Territory.objects.get(slug="aurora").schema_name
    with bouncer.connect() as conn:
        conn.execute(psycopg.sql.SQL("SET search_path = {}").format(psycopg.sql.Identifier(schema)))
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()
        # Later transactions of this client: the same server session, the same schema.
        for _ in range(3):
            with conn.transaction():
                assert conn.execute("SHOW search_path").fetchone() == (schema,)
        assert conn.execute("SELECT pg_backend_pid()").fetchone() == pid
    # The next client gets that server connection (the most recently released one),
    # reset by DISCARD ALL first: no schema carried over to another client.
    with bouncer.connect() as conn:
        assert conn.execute("SELECT pg_backend_pid()").fetchone() == pid
        assert conn.execute("SHOW search_path").fetchone() == ('"$user", public',)


def test_pgbouncer_checks_the_password(bouncer: PgBouncer) -> None:
    with pytest.raises(psycopg.OperationalError):
        bouncer.connect(password="not the password")


def test_the_systemd_unit_is_valid_and_runs_the_shipped_file() -> None:
    unit = ROOT / "deploy/systemd/cities-pgbouncer.service"
    analyze = binary("systemd-analyze", "/usr/bin/systemd-analyze")
    assert analyze is not None, "systemd-analyze is part of Debian's systemd package"
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    # Only complaints about this unit count (verify also looks at units it names).
    problems = [line for line in result.stderr.splitlines() if unit.name in line]
    assert not problems, problems
    text = unit.read_text()
    assert "ExecStart=/usr/sbin/pgbouncer /etc/pgbouncer/pgbouncer.ini" in text
    assert "pool_mode = session" in (ROOT / "deploy/pgbouncer/pgbouncer.ini").read_text()
