"""A real server for browser tests: gunicorn on loopback, on a database of its own.

Never pytest-django's live_server/transactional_db: their flush truncates the public
tables the rest of the suite relies on (../shared/GUIDE.md). The database here is
created for the module and dropped afterwards; the test database is not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import psycopg.sql

from tests.servers import app_server

ROOT = Path(__file__).resolve().parents[3]
PGPORT = os.environ.get("PGPORT", "55432")


def database_url(name: str) -> str:
    return f"postgis://postgres@127.0.0.1:{PGPORT}/{name}"


def run_sql(name: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(f"host=127.0.0.1 port={PGPORT} user=postgres dbname={name}") as conn:
        rows = conn.execute(sql, params)
        return list(rows.fetchall()) if rows.description else []


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _copy_database(template: str, name: str) -> None:
    with psycopg.connect(
        f"host=127.0.0.1 port={PGPORT} user=postgres dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(
            psycopg.sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                psycopg.sql.Identifier(name), psycopg.sql.Identifier(template)
            )
        )


@contextmanager
def live_site(
    db_name: str, *, port: int, workers: int = 2, fresh: bool = False, **settings: str
) -> Iterator[str]:
    """Yields the network site's base URL (http://localhost:<port>).

    The database is a copy of ``<db_name>_template``, which is kept between runs the way
    pytest-django's --reuse-db keeps the test database, and migrated (shared schema and
    the standby pool) before every copy, so it is always up to date with the code:
    migrating an empty database took most of the module's time. ``fresh`` (pytest
    --create-db, make test-fresh) builds the template from nothing."""
    db = str(ROOT / "scripts" / "db.sh")
    template = f"{db_name}_template"
    subprocess.run([db, "drop", db_name], check=True, capture_output=True)
    if fresh:
        subprocess.run([db, "drop", template], check=True, capture_output=True)
    subprocess.run([db, "ensure", template], check=True, capture_output=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(template),
        "DEBUG": "0",
        "LOCAL_DEFAULTS": "1",  # generated keys, in-process tasks: meant here
        "DB_POOL": "1",
        "PLATFORM_PORT": str(port),
        "MAP_TILE_URL": "",  # no tiles from the internet in tests
        "STANDBY_POOL_SIZE": "2",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESSLOG": "",
        "ACCOUNT_EMAIL_VERIFICATION": "optional",
        "WEB_CONCURRENCY": str(workers),
        **settings,
    }
    try:
        _manage(env, "migrate_schemas", "--shared", "--noinput", "-v", "0")
        _manage(env, "migrate_standby_schemas", "--fill", "-v", "0")
        # The template is left as migrated; the site writes to its copy only.
        _copy_database(template, db_name)
        env["DATABASE_URL"] = database_url(db_name)
        with app_server(env, port=port):
            # The network site's host name, not the loopback address (cookies, links).
            yield f"http://localhost:{port}"
    finally:
        subprocess.run([db, "drop", db_name], check=True, capture_output=True)
