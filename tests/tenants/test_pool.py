import io
from collections.abc import Callable

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_exists

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenants import actions, pool
from tenants.actions import provision_territory
from tenants.models import StandbySchema, Territory


def provision(slug: str) -> Territory:
    return provision_territory(
        name=slug.title(),
        slug=slug,
        country="LT",
        default_language="lt",
        timezone_name="Europe/Vilnius",
        map_center=Point(23.9, 54.9, srid=4326),
    )


def tables_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        return {row[0] for row in cursor.fetchall()}


def ready_standbys() -> list[str]:
    return list(
        StandbySchema.objects.filter(
            state=StandbySchema.State.READY, fingerprint=pool.migrations_fingerprint()
        )
        .order_by("created_at")
        .values_list("name", flat=True)
    )


def schema_from(territory: Territory) -> str:
    entry = AuditEntry.objects.get(territory=territory, action="territory.provisioned")
    return str(entry.details["schema_from"])


def test_the_test_database_has_a_ready_pool(db: None) -> None:
    names = ready_standbys()
    assert len(names) >= 2
    assert all(schema_exists(name) for name in names)


def test_provisioning_claims_the_oldest_standby_by_renaming_it(db: None) -> None:
    oldest = ready_standbys()[0]
    territory = provision("kaunas")

    assert schema_from(territory) == "standby"
    assert not schema_exists(oldest)
    assert not StandbySchema.objects.filter(name=oldest).exists()
    assert {"django_session", "django_migrations"} <= tables_in("t_kaunas")


def test_empty_pool_falls_back_to_migrations(db: None) -> None:
    StandbySchema.objects.all().delete()  # rolled back with the test
    territory = provision("kaunas")
    assert schema_from(territory) == "migrations"
    assert {"django_session", "django_migrations"} <= tables_in("t_kaunas")


def test_standby_migrated_by_other_code_is_never_claimed(db: None) -> None:
    names = ready_standbys()
    StandbySchema.objects.filter(name__in=names).update(fingerprint="older-code")
    territory = provision("kaunas")
    assert schema_from(territory) == "migrations"
    assert all(schema_exists(name) for name in names)


def test_failed_provisioning_puts_the_standby_back(
    db: None, user: Callable[[str], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = ready_standbys()

    def explode(**kwargs: object) -> None:
        assert schema_exists("t_kaunas") and not schema_exists(before[0])  # renamed
        raise RuntimeError("injected failure")

    monkeypatch.setattr(actions, "grant_membership", explode)
    with pytest.raises(RuntimeError):
        provision_territory(
            name="Kaunas",
            slug="kaunas",
            country="LT",
            default_language="lt",
            timezone_name="Europe/Vilnius",
            map_center=Point(23.9, 54.9, srid=4326),
            admin=user("pat"),
        )
    assert ready_standbys() == before
    assert all(schema_exists(name) for name in before)
    assert not schema_exists("t_kaunas")


def test_refill_builds_fully_migrated_standbys(db: None) -> None:
    StandbySchema.objects.all().delete()
    assert pool.refill_pool(2) == 2
    names = ready_standbys()
    assert len(names) == 2
    for name in names:
        assert {"django_session", "django_migrations"} <= tables_in(name)
    assert pool.refill_pool(2) == 0  # full: nothing to do


def test_migrate_standby_schemas_brings_a_stale_standby_up_to_date(db: None) -> None:
    name = ready_standbys()[0]
    # A standby built by older code: it lacks the sessions app's migration and table.
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{name}".django_session')
        cursor.execute(f"DELETE FROM \"{name}\".django_migrations WHERE app = 'sessions'")  # noqa: S608
    StandbySchema.objects.filter(name=name).update(fingerprint="older-code")

    out = io.StringIO()
    call_command("migrate_standby_schemas", stdout=out)

    standby = StandbySchema.objects.get(name=name)
    assert standby.state == StandbySchema.State.READY
    assert standby.fingerprint == pool.migrations_fingerprint()
    assert "django_session" in tables_in(name)
    assert "1 migrated" in out.getvalue()


def test_migrate_schemas_leaves_standbys_alone(db: None) -> None:
    before = {s.name: s.migrated_at for s in StandbySchema.objects.all()}
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    assert {s.name: s.migrated_at for s in StandbySchema.objects.all()} == before
    assert all(schema_exists(name) for name in before)


def test_a_standby_that_cannot_be_migrated_is_dropped(db: None) -> None:
    name = ready_standbys()[0]
    StandbySchema.objects.filter(name=name).update(fingerprint="older-code")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
    counts = pool.migrate_standby_schemas()
    assert counts["dropped"] == 1
    assert not StandbySchema.objects.filter(name=name).exists()
