"""Releases migrate only the territory schemas behind the code (tenants.release)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants import pool, release
from tenants.models import SchemaState, Territory
from tests.tenants.test_pool import provision, tables_in


def mark_behind(territory: Territory, *, drop_sessions: bool = True) -> None:
    """As if the schema had been migrated by older code that lacked the sessions app's
    migration (the rest of the test's transaction undoes it)."""
    schema = territory.schema_name
    with connection.cursor() as cursor:
        if drop_sessions:
            cursor.execute(f'DROP TABLE "{schema}".django_session')
        cursor.execute(f"DELETE FROM \"{schema}\".django_migrations WHERE app = 'sessions'")  # noqa: S608
    SchemaState.objects.filter(territory=territory).update(fingerprint="older-code")


@pytest.fixture
def migrated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The schemas the release actually migrates, in order."""
    calls: list[str] = []
    real = release._migrate_one

    def spy(schema_name: str) -> str | None:
        calls.append(schema_name)
        return real(schema_name)

    monkeypatch.setattr(release, "_migrate_one", spy)
    return calls


def test_provisioning_records_the_schema_state(db: None) -> None:
    territory = provision("kaunas")
    state = SchemaState.objects.get(territory=territory)
    assert state.fingerprint == pool.migrations_fingerprint()
    assert state.migrated_at is not None and state.status_when_ready == ""


def test_a_release_migrates_the_schema_behind_and_skips_the_others(
    territory_a: Territory, territory_b: Territory, migrated: list[str]
) -> None:
    mark_behind(territory_a)
    before_b = SchemaState.objects.get(territory=territory_b).migrated_at

    out = io.StringIO()
    call_command("migrate_territories", processes=1, stdout=out)

    assert migrated == ["t_aurora"]  # borealis was never asked
    assert "django_session" in tables_in("t_aurora")
    state = SchemaState.objects.get(territory=territory_a)
    assert state.fingerprint == pool.migrations_fingerprint() and state.failed_at is None
    assert SchemaState.objects.get(territory=territory_b).migrated_at == before_b
    assert "1 migrated, 0 failed" in out.getvalue()


def test_a_territory_without_a_record_is_behind(
    territory_a: Territory, territory_b: Territory, migrated: list[str]
) -> None:
    SchemaState.objects.filter(territory=territory_b).delete()
    result = release.migrate_territories()
    assert migrated == ["t_borealis"] and result.migrated == ["t_borealis"]
    assert SchemaState.objects.get(territory=territory_b).fingerprint == (
        pool.migrations_fingerprint()
    )


def test_a_no_op_release_queries_do_not_grow_with_territories(
    territory_a: Territory, migrated: list[str]
) -> None:
    with CaptureQueriesContext(connection) as few:
        release.migrate_territories()
    provision("kaunas")
    provision("klaipeda")
    with CaptureQueriesContext(connection) as more:
        result = release.migrate_territories()
    assert migrated == []
    assert len(more) == len(few) <= 3
    assert result.up_to_date == Territory.objects.count() and not result.migrated


def test_a_failing_schema_is_reported_left_behind_and_the_others_migrated(
    territory_a: Territory, territory_b: Territory, migrated: list[str]
) -> None:
    mark_behind(territory_a)
    # Borealis's migration fails for real: its record lost the sessions migration but
    # the table is still there, so creating it again fails.
    mark_behind(territory_b, drop_sessions=False)

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 territory schema"):
        call_command("migrate_territories", processes=1, stdout=out, stderr=err)

    assert sorted(migrated) == ["t_aurora", "t_borealis"]
    assert "t_borealis:" in err.getvalue() and "already exists" in err.getvalue()
    failed = SchemaState.objects.get(territory=territory_b)
    assert failed.fingerprint == "older-code" and failed.failed_at is not None
    assert "already exists" in failed.error
    ok = SchemaState.objects.get(territory=territory_a)
    assert ok.fingerprint == pool.migrations_fingerprint()
    # The next release tries the failed one again, and only it.
    migrated.clear()
    with pytest.raises(CommandError):
        call_command("migrate_territories", processes=1, stdout=out, stderr=err)
    assert migrated == ["t_borealis"]


def test_verify_finds_a_schema_changed_behind_the_records_back(
    territory_a: Territory, migrated: list[str]
) -> None:
    mark_behind(territory_a)
    SchemaState.objects.filter(territory=territory_a).update(
        fingerprint=pool.migrations_fingerprint()
    )
    assert release.migrate_territories().migrated == []  # trusts the record
    result = release.migrate_territories(verify=True)
    assert result.migrated == ["t_aurora"]
    assert "django_session" in tables_in("t_aurora")


def test_a_territory_whose_schema_is_being_built_is_left_to_its_job(
    territory_a: Territory, migrated: list[str]
) -> None:
    SchemaState.objects.filter(territory=territory_a).update(
        fingerprint="", status_when_ready=Territory.Status.ACTIVE
    )
    release.migrate_territories()
    assert migrated == []
