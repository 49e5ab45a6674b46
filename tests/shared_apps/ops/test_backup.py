"""Back up one territory and restore it into a fresh database.

pg_dump sees committed data only: the test writes a few rows outside the per-test
transaction (and deletes them at the end), backs up aurora, restores it into a new
database whose shared schema was just migrated, and looks for its data there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context
from psycopg import sql

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenant_apps.catalogue.models import ProviderStaff, Venue
from tenants.models import Territory
from tests.servers import ROOT, python_env

pytestmark = pytest.mark.slow


def admin_connection(dbname: str = "postgres") -> psycopg.Connection[Any]:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or os.environ.get("PGPORT", "5432"),
        user=settings["USER"] or "postgres",
        dbname=dbname,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def committed(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def aurora_with_data(committed: None) -> Iterator[dict[str, Any]]:
    aurora = Territory.objects.get(slug="aurora")
    with tenant_context(aurora):
        store = SessionStore()
        store["learner_note"] = "evidence of the robotics workshop"
        store.create()
    entry = AuditEntry.objects.create(action="tests.backup_marker", territory=aurora)
    try:
        yield {"session_key": store.session_key, "audit_id": entry.pk}
    finally:
        with tenant_context(aurora):
            Session.objects.filter(session_key=store.session_key).delete()
        AuditEntry.objects.filter(pk=entry.pk).delete()


@pytest.fixture(scope="module")
def fresh_database(committed: None) -> Iterator[str]:
    """A new, empty database on the same server with the shared schema migrated."""
    yield from _migrated_database(f"{connection.settings_dict['NAME']}_restore_{os.getpid()}")


@pytest.fixture(scope="module")
def shard_database(committed: None) -> Iterator[str]:
    """Another cluster's database in a shard move (SCALING.md section 5), here a second
    database of the same server: shared schema migrated, no territory."""
    yield from _migrated_database(f"{connection.settings_dict['NAME']}_shard_{os.getpid()}")


def _migrated_database(name: str) -> Iterator[str]:
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = python_env()
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--shared", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    try:
        yield name
    finally:
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(archive: Path, database: str, *options: str) -> subprocess.CompletedProcess[str]:
    env = python_env()
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database
    return subprocess.run(
        [sys.executable, "manage.py", "restore_territory", str(archive), *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_one_territory_restores_into_a_fresh_database(
    aurora_with_data: dict[str, Any], fresh_database: str, tmp_path: Path
) -> None:
    call_command("backup_territory", "aurora", output=tmp_path, stdout=open(os.devnull, "w"))  # noqa: SIM115
    (archive,) = tmp_path.glob("aurora-*.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["manifest.json", "public.json", "schema.sql"]

    result = restore(archive, fresh_database)
    assert result.returncode == 0, result.stderr
    assert "restored aurora (t_aurora)" in result.stdout

    with admin_connection(fresh_database) as db:

        def one(sql: str, *params: object) -> Any:
            row = db.execute(sql, params).fetchone()
            return row[0] if row else None

        # The territory's own schema, with its committed data.
        assert one(
            "SELECT session_data IS NOT NULL FROM t_aurora.django_session WHERE session_key = %s",
            aurora_with_data["session_key"],
        )
        # Its public rows, with the same ids.
        assert one("SELECT name FROM tenants_territory WHERE slug = 'aurora'") == "Aurora"
        assert one("SELECT ST_Y(map_center) FROM tenants_territory") == pytest.approx(54.69)
        assert one("SELECT domain FROM tenants_domain") == "aurora.localhost"
        members = db.execute(
            "SELECT u.email, m.role FROM accounts_membership m "
            "JOIN accounts_user u ON u.id = m.user_id ORDER BY u.email"
        ).fetchall()
        assert members == [
            ("ada@example.org", "learner"),
            ("alan@example.org", "provider_staff"),
            ("anna@example.org", "territory_admin"),
        ]
        # The members' verified addresses, and the coordinator's (cora coordinates aurora).
        assert one("SELECT count(*) FROM account_emailaddress WHERE verified") == 4
        assert one(
            "SELECT action FROM audit_auditentry WHERE id = %s", aurora_with_data["audit_id"]
        ) == ("tests.backup_marker")
        assert one(
            "SELECT u.email FROM accounts_coordinator_territories ct "
            "JOIN accounts_coordinator c ON c.id = ct.coordinator_id "
            "JOIN accounts_user u ON u.id = c.user_id"
        ) == ("cora@example.org")
        # Nothing of the other territory came along.
        assert one("SELECT count(*) FROM tenants_territory") == 1
        assert one("SELECT count(*) FROM pg_namespace WHERE nspname = 't_borealis'") == 0
        assert one("SELECT count(*) FROM accounts_user WHERE email LIKE 'b%%'") == 0
        # A new row gets a fresh id (sequences follow the restored ids).
        next_id = one("SELECT nextval('accounts_user_id_seq')")
        assert next_id > one("SELECT max(id) FROM accounts_user")

    # Restoring the same territory twice is refused and changes nothing.
    again = restore(archive, fresh_database)
    assert again.returncode != 0
    assert "territory aurora (t_aurora) exists here" in again.stderr


def test_restore_refuses_when_it_would_collide_with_another_territory(
    aurora_with_data: dict[str, Any], tmp_path: Path
) -> None:
    # Into the test database itself, where aurora lives: refused, nothing touched.
    call_command("backup_territory", "aurora", output=tmp_path, stdout=open(os.devnull, "w"))  # noqa: SIM115
    (archive,) = tmp_path.glob("aurora-*.tar.gz")
    result = restore(archive, connection.settings_dict["NAME"])
    assert result.returncode != 0
    assert "exists here" in result.stderr
    assert Territory.objects.filter(slug="aurora").count() == 1


def _snapshot(schema: str) -> dict[str, list[str]]:
    """Every row of every table of the public schema and of ``schema``, as PostgreSQL's
    text form (timestamps with their microseconds), sorted."""
    rows: dict[str, list[str]] = {}
    with admin_connection(connection.settings_dict["NAME"]) as db:
        tables = db.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', %s) "
            "AND table_name <> 'spatial_ref_sys'",
            [schema],
        ).fetchall()
        for table_schema, table in tables:
            query = sql.SQL("SELECT t::text FROM {} t").format(sql.Identifier(table_schema, table))
            found = db.execute(query).fetchall()
            rows[f"{table_schema}.{table}"] = sorted(row[0] for row in found)
    return rows


@pytest.fixture
def cygnus(committed: None) -> Iterator[Territory]:
    """A committed territory of its own with members, audit entries, a billing account
    (timestamps with microseconds) and a session in its schema; dropped at the end."""
    from allauth.account.models import EmailAddress
    from django.contrib.gis.geos import Point

    from shared_apps.accounts.actions import grant_membership
    from shared_apps.accounts.models import User
    from shared_apps.billing.actions import open_billing_account
    from tenants import pool
    from tenants.actions import provision_territory

    territory = provision_territory(
        name="Cygnus",
        slug="cygnus",
        country="FI",
        default_language="fi",
        timezone_name="Europe/Helsinki",
        map_center=Point(24.94, 60.17, srid=4326),
        status=Territory.Status.ACTIVE,
    )
    newcomer = User.objects.create(email="cyd@example.org")
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    grant_membership(user=newcomer, territory=territory, role="territory_admin")
    grant_membership(
        user=User.objects.get(email="ada@example.org"), territory=territory, role="learner"
    )
    open_billing_account(territory=territory, plan_key="pilot", method="none", acting_user=None)
    AuditEntry.objects.create(
        actor=newcomer, action="tests.restore_marker", territory=territory, details={"n": 1}
    )
    with tenant_context(territory):
        store = SessionStore()
        store["note"] = "kept across the restore"
        store.create()
    try:
        yield territory
    finally:
        for leftover in Territory.objects.filter(slug="cygnus"):
            leftover.delete(force_drop=True)
        AuditEntry.objects.filter(territory__isnull=True, actor=newcomer).delete()
        AuditEntry.objects.filter(action="tests.restore_marker").delete()
        User.objects.filter(pk=newcomer.pk).delete()
        pool.refill_pool(3)


def test_backup_delete_restore_in_place_gives_back_exactly_the_rows(
    cygnus: Territory, tmp_path: Path
) -> None:
    schema = cygnus.schema_name
    call_command("backup_territory", "cygnus", output=tmp_path, stdout=open(os.devnull, "w"))  # noqa: SIM115
    (archive,) = tmp_path.glob("cygnus-*.tar.gz")
    before = _snapshot(schema)
    # The billing account's timestamps carry microseconds: the archive must keep them.
    fractions = re.findall(r"\.(\d+)\+00", " ".join(before["public.billing_billingaccount"]))
    assert any(len(digits) > 3 for digits in fractions)
    assert any("tests.restore_marker" in row for row in before["public.audit_auditentry"])

    Territory.objects.get(pk=cygnus.pk).delete(force_drop=True)
    deleted = _snapshot(schema)
    assert f"{schema}.django_session" not in deleted
    # The deletion keeps the audit entries, unlinked: the restore used to refuse them.
    assert deleted["public.audit_auditentry"] != before["public.audit_auditentry"]

    result = restore(archive, connection.settings_dict["NAME"])
    assert result.returncode == 0, result.stderr
    after = _snapshot(schema)
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table


def _tables(database: str, schema: str) -> dict[str, tuple[int, str]]:
    """Row count and checksum (md5 of the rows' text forms, sorted) of every table of
    ``schema`` in ``database``."""
    found: dict[str, tuple[int, str]] = {}
    with admin_connection(database) as db:
        tables = db.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema = %s",
            [schema],
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                "FROM {} t"
            ).format(sql.Identifier(schema, table))
            row = db.execute(query).fetchone()
            assert row is not None
            found[table] = (row[0], row[1])
    return found


def test_schema_only_restore_moves_a_territory_to_another_database(
    aurora_with_data: dict[str, Any], shard_database: str, tmp_path: Path
) -> None:
    """A shard move's restore: aurora's schema (with a provider, its staff and a venue,
    committed) lands in the other database table by table, row by row; its public rows
    stay behind; a second restore over it is refused unless told to replace it."""
    from tests.tenant_apps.catalogue.factories import make_provider, make_venue

    aurora = Territory.objects.get(slug="aurora")
    ada = User.objects.get(email="ada@example.org")
    provider = make_provider(aurora, "Moving Youth Centre", staff=[(ada, "owner")])
    try:
        make_venue(aurora, provider, "Moving hall")
        call_command("backup_territory", "aurora", output=tmp_path, stdout=open(os.devnull, "w"))  # noqa: SIM115
        (archive,) = tmp_path.glob("aurora-*.tar.gz")
        source = _tables(connection.settings_dict["NAME"], "t_aurora")
    finally:
        with tenant_context(aurora):
            Venue.objects.filter(provider=provider).delete()
            ProviderStaff.objects.filter(provider=provider).delete()
            provider.delete()
    assert source["catalogue_venue"][0] >= 1 and source["django_session"][0] >= 1

    result = restore(archive, shard_database, "--schema-only")
    assert result.returncode == 0, result.stderr
    assert "restored the schema t_aurora of aurora" in result.stdout
    assert _tables(shard_database, "t_aurora") == source
    with admin_connection(shard_database) as db:
        # The public rows are the directory's: none came along.
        for table in ("tenants_territory", "tenants_domain", "accounts_membership"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)  # noqa: S608 - fixed names
        db.execute("INSERT INTO t_aurora.django_session VALUES ('marker', '', now())")

    again = restore(archive, shard_database, "--schema-only")
    assert again.returncode != 0
    assert "schema t_aurora exists here" in again.stderr
    with admin_connection(shard_database) as db:
        assert db.execute(
            "SELECT count(*) FROM t_aurora.django_session WHERE session_key = 'marker'"
        ).fetchone() == (1,)

    replaced = restore(archive, shard_database, "--schema-only", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert _tables(shard_database, "t_aurora") == source
