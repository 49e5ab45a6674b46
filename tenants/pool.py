"""A pool of pre-migrated standby schemas, so provisioning takes constant time.

Running every migration for a new schema takes longer with each migration the
project gains, and django-tenants' schema cloning slows down with the number of
schemas (../shared/GUIDE.md). Instead, empty schemas named ``standby_<random>`` are
created and migrated ahead of time. Provisioning claims one inside its transaction
(``SELECT ... FOR UPDATE SKIP LOCKED``) and renames it (``ALTER SCHEMA ... RENAME``,
a catalogue update whatever the schema holds); if the transaction rolls back, the
rename and the claim roll back with it and the standby is back in the pool.

A standby is claimed only when it was migrated exactly as far as the running code
expects (its fingerprint equals migrations_fingerprint()); otherwise provisioning
falls back to creating the schema by running the migrations.

Keeping the pool current is part of every migration run: ``manage.py
migrate_standby_schemas`` (called by ``make run`` and by the release procedure, after
``migrate_schemas --shared`` and before the territories) migrates the standby schemas.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import schema_exists

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.db import tenant_connection
from shared_apps.ops.metrics import STANDBY_POOL_EMPTY
from shared_apps.ops.outbox import send_task_on_commit
from shared_apps.ops.tasks import platform_task
from tenants import setup
from tenants.models import SchemaState, StandbySchema, Territory

logger = logging.getLogger(__name__)

STANDBY_PREFIX = "standby_"
# A build that has not finished after this long died with its process.
STALE_BUILD_AFTER = timedelta(hours=1)
# pg_advisory_xact_lock key: serialises the bookkeeping of concurrent refills.
_REFILL_LOCK_KEY = 0x5754414E4442  # "STANDB"
# pg_try_advisory_lock(class, territory id): one build of a territory's schema at a time.
_BUILD_LOCK_CLASS = 0x5443  # "TC"


@lru_cache(maxsize=1)
def expected_migrations() -> frozenset[tuple[str, str]]:
    """Every migration of the running code: a fully migrated territory schema has
    all of them recorded (shared apps' ones too, recorded without tables)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


@lru_cache(maxsize=1)
def migrations_fingerprint() -> str:
    text = "\n".join(f"{app}.{name}" for app, name in sorted(expected_migrations()))
    return hashlib.sha256(text.encode()).hexdigest()


def pool_size() -> int:
    return int(settings.STANDBY_POOL_SIZE)


def ready_standby_count() -> int:
    return StandbySchema.objects.filter(
        state=StandbySchema.State.READY, fingerprint=migrations_fingerprint()
    ).count()


def record_migrated(territory: Territory, *, fingerprint: str | None = None) -> None:
    """The territory's schema is fully migrated to ``fingerprint`` (default: the running
    code's): releases skip it until the code's migrations change (tenants.release)."""
    SchemaState.objects.update_or_create(
        territory=territory,
        defaults={
            "fingerprint": fingerprint or migrations_fingerprint(),
            "migrated_at": timezone.now(),
            "failed_at": None,
            "error": "",
            "status_when_ready": "",
        },
    )


def alarm_pool_empty(schema_name: str) -> None:
    """The pool should never be empty when someone signs up: say so loudly (the error
    log line is also a Sentry event through its logging integration; the counter is
    col_standby_pool_empty_total on /metrics)."""
    STANDBY_POOL_EMPTY.inc()
    logger.error(
        "standby pool empty: schema %s is built without a standby (raise STANDBY_POOL_SIZE "
        "or check the refill worker)",
        schema_name,
    )


def _quote(name: str) -> str:
    _check_schema_name(name)
    return connection.ops.quote_name(name)


# ---------------------------------------------------------------------------
# Claiming (inside the provisioning transaction)
# ---------------------------------------------------------------------------


def claim_standby_schema(schema_name: str) -> bool:
    """Rename a ready standby schema to ``schema_name``; False when none is ready.

    Must run inside the caller's transaction: the claim, the rename and the caller's
    other writes commit or roll back together.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("claim_standby_schema must run inside a transaction")
    standby = (
        StandbySchema.objects.select_for_update(skip_locked=True)
        .filter(state=StandbySchema.State.READY, fingerprint=migrations_fingerprint())
        .order_by("created_at")
        .first()
    )
    if standby is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {_quote(standby.name)} RENAME TO {_quote(schema_name)}")
    standby.delete()
    logger.info("claimed standby schema %s as %s", standby.name, schema_name)
    return True


# ---------------------------------------------------------------------------
# Building and refilling (background)
# ---------------------------------------------------------------------------


def _new_standby_name() -> str:
    return STANDBY_PREFIX + secrets.token_hex(6)


def _drop_schema(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(name)} CASCADE")


def _migrate_schema(name: str) -> None:
    """Run every pending migration in one schema (django-tenants' executor; it commits
    and reconnects when called outside a transaction)."""
    call_command("migrate_schemas", tenant=True, schema_name=name, interactive=False, verbosity=0)
    tenant_connection().set_schema_to_public()


def _is_fully_migrated(name: str) -> bool:
    tenant_connection().set_schema_to_public()
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
        # Both names are quoted identifiers (the schema's checked by _check_schema_name).
        cursor.execute(f"SELECT app, name FROM {_quote(name)}.{table}")  # noqa: S608
        applied = {(app, migration) for app, migration in cursor.fetchall()}
    return expected_migrations() <= applied


def build_standby_schema(standby: StandbySchema) -> StandbySchema | None:
    """Create and migrate the schema of a reserved (BUILDING) standby row.

    Outside a transaction each migration commits on its own, so no lock on a shared
    table (a foreign key target) is held for the whole build; a half-built schema is
    never claimable (its row says BUILDING) and is dropped on failure.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {_quote(standby.name)}")
        _migrate_schema(standby.name)
        if not _is_fully_migrated(standby.name):
            raise RuntimeError(f"standby schema {standby.name} is missing migrations")
    except Exception:
        logger.exception("building standby schema %s failed", standby.name)
        tenant_connection().set_schema_to_public()
        _drop_schema(standby.name)
        StandbySchema.objects.filter(pk=standby.pk).delete()
        return None
    standby.state = StandbySchema.State.READY
    standby.fingerprint = migrations_fingerprint()
    standby.migrated_at = timezone.now()
    standby.save(update_fields=["state", "fingerprint", "migrated_at"])
    return standby


def _reserve(target: int) -> list[StandbySchema]:
    """Decide, one refill at a time, how many standbys to build, and reserve them."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFILL_LOCK_KEY])
        stale = StandbySchema.objects.filter(
            state=StandbySchema.State.BUILDING, created_at__lt=timezone.now() - STALE_BUILD_AFTER
        )
        for standby in stale:
            _drop_schema(standby.name)
            standby.delete()
        have = (
            StandbySchema.objects.filter(
                state=StandbySchema.State.READY, fingerprint=migrations_fingerprint()
            ).count()
            + StandbySchema.objects.filter(state=StandbySchema.State.BUILDING).count()
        )
        return [
            StandbySchema.objects.create(name=_new_standby_name())
            for _ in range(max(0, target - have))
        ]


def refill_pool(target: int | None = None) -> int:
    """Build standby schemas until ``target`` (default STANDBY_POOL_SIZE) are ready or
    being built; safe to run in several processes at once. Returns how many it built."""
    tenant_connection().set_schema_to_public()
    target = pool_size() if target is None else target
    built = 0
    for standby in _reserve(target):
        if build_standby_schema(standby) is not None:
            built += 1
    if built:
        logger.info("standby pool: built %d schema(s)", built)
    return built


def migrate_standby_schemas() -> dict[str, int]:
    """Bring every standby schema up to the running code's migrations.

    Standbys already current are left alone; the others are taken out of the pool
    while they migrate (state MIGRATING), then put back, or dropped if they cannot
    be migrated (a later refill replaces them).
    """
    tenant_connection().set_schema_to_public()
    fingerprint = migrations_fingerprint()
    counts = {"current": 0, "migrated": 0, "dropped": 0}
    counts["current"] = StandbySchema.objects.filter(
        state=StandbySchema.State.READY, fingerprint=fingerprint
    ).count()
    candidates = list(
        StandbySchema.objects.exclude(state=StandbySchema.State.BUILDING)
        .exclude(state=StandbySchema.State.READY, fingerprint=fingerprint)
        .values_list("pk", flat=True)
    )
    for pk in candidates:
        with transaction.atomic():
            standby = (
                StandbySchema.objects.select_for_update(skip_locked=True)
                .filter(pk=pk)
                .exclude(state=StandbySchema.State.BUILDING)
                .first()
            )
            if standby is None:
                continue  # claimed meanwhile, or another run has it
            standby.state = StandbySchema.State.MIGRATING
            standby.save(update_fields=["state"])
        try:
            if not schema_exists(standby.name):
                raise RuntimeError(f"standby schema {standby.name} has disappeared")
            _migrate_schema(standby.name)
            if not _is_fully_migrated(standby.name):
                raise RuntimeError(f"standby schema {standby.name} is missing migrations")
        except Exception:
            logger.exception("migrating standby schema %s failed; dropping it", standby.name)
            tenant_connection().set_schema_to_public()
            _drop_schema(standby.name)
            standby.delete()
            counts["dropped"] += 1
            continue
        standby.state = StandbySchema.State.READY
        standby.fingerprint = fingerprint
        standby.migrated_at = timezone.now()
        standby.save(update_fields=["state", "fingerprint", "migrated_at"])
        counts["migrated"] += 1
    return counts


def orphan_standby_schemas() -> list[str]:
    """Schemas named like standbys that no row accounts for (a crash between CREATE
    SCHEMA and the row's deletion cannot happen in one transaction, but a hand-made
    or restored schema can)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            [STANDBY_PREFIX.replace("_", r"\_") + "%"],
        )
        names = {row[0] for row in cursor.fetchall()}
    known = set(StandbySchema.objects.values_list("name", flat=True))
    return sorted(names - known)


# ---------------------------------------------------------------------------
# A new territory's schema built in the background (sign-up with the pool empty)
# ---------------------------------------------------------------------------


def build_territory_schema(territory_id: int) -> bool:
    """Create and migrate the schema of a territory provisioned without one, then give
    the territory the status it was provisioned with. True when it is live now.

    Safe to run twice at once (an advisory lock; the second returns False) and to run
    again after a failure (migrations carry on where they stopped; the failure is kept
    on its SchemaState and the watchdog, finish_pending_territories, retries).
    """
    tenant_connection().set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_BUILD_LOCK_CLASS, territory_id])
        if not cursor.fetchone()[0]:
            return False
    try:
        state = (
            SchemaState.objects.select_related("territory")
            .filter(territory_id=territory_id)
            .exclude(status_when_ready="")
            .first()
        )
        if state is None:
            return False  # built already
        name = state.territory.schema_name
        try:
            if not schema_exists(name):
                with connection.cursor() as cursor:
                    cursor.execute(f"CREATE SCHEMA {_quote(name)}")
            _migrate_schema(name)
            if not _is_fully_migrated(name):
                raise RuntimeError(f"schema {name} is missing migrations")
        except Exception as error:
            logger.exception("building the schema of territory %s failed", territory_id)
            tenant_connection().set_schema_to_public()
            SchemaState.objects.filter(pk=state.pk).update(
                failed_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:500]
            )
            return False
        with transaction.atomic():
            # The features' set-up (tenants.setup) with the status change: a live
            # territory has it.
            setup.run_schema_ready(state.territory)
            _make_live(territory_id, state.status_when_ready)
        return True
    finally:
        tenant_connection().set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_BUILD_LOCK_CLASS, territory_id])


@transaction.atomic
def _make_live(territory_id: int, status: str) -> None:
    territory = Territory.objects.select_for_update().get(pk=territory_id)
    record_migrated(territory)
    if territory.status == Territory.Status.PROVISIONING:
        # save(), not update(): cached host routes learn the new status at once.
        territory.status = status
        territory.save(update_fields=["status", "updated_at"])
    record(
        actor=None,
        action=AuditEvent.TERRITORY_SCHEMA_BUILT,
        territory=territory,
        target=territory,
        details={"status": territory.status},
    )
    logger.info("territory %s is live (schema built in the background)", territory.slug)


def pending_territory_ids() -> list[int]:
    return list(
        SchemaState.objects.exclude(status_when_ready="")
        .order_by("updated_at")
        .values_list("territory_id", flat=True)
    )


def finish_pending_territories() -> int:
    """Watchdog: build the schemas of territories still waiting for one (a lost job, a
    worker restart, a failure). Returns how many went live."""
    return sum(build_territory_schema(pk) for pk in pending_territory_ids())


@platform_task(name="tenants.pool.build_territory_schema_task")
def build_territory_schema_task(territory_id: int) -> bool:
    return build_territory_schema(territory_id)


def request_schema_build(territory_id: int) -> None:
    """After the caller's transaction commits: build the territory's schema in the
    background (a Celery task with a broker, a thread without one)."""

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Through the outbox: a broker outage must not fail the sign-up that asked.
        send_task_on_commit(build_territory_schema_task, args=[territory_id])
        return

    def start() -> None:
        threading.Thread(
            target=_build_in_thread, args=(territory_id,), name="territory-schema", daemon=False
        ).start()

    transaction.on_commit(start)


def _build_in_thread(territory_id: int) -> None:
    try:
        build_territory_schema(territory_id)
    except Exception:
        logger.exception("building the schema of territory %s failed", territory_id)
    finally:
        connections.close_all()


# Keeps its historical name: beat entries and queued messages use it.
@platform_task(name="tenants.pool.refill_standby_pool")
def refill_standby_pool() -> int:
    """Beat's watchdog (every minute): territories waiting for their schema first,
    then the pool topped up."""
    finish_pending_territories()
    return refill_pool()


_refill_thread_lock = threading.Lock()


def request_refill() -> None:
    """Refill the pool in the background, after the caller's transaction commits.

    With a broker this is a Celery task. Without one (development, `make run`, a
    benchmark server) Celery would run it eagerly inside the request, adding the
    build time to the response; a thread keeps the response quick instead.
    """

    if not settings.STANDBY_REFILL_AFTER_PROVISIONING:
        return

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Through the outbox: a broker outage must not fail the sign-up that asked.
        send_task_on_commit(refill_standby_pool)
        return

    def start() -> None:
        if not _refill_thread_lock.acquire(blocking=False):
            return  # this process is refilling already
        # Not a daemon: a command that provisions (load_demo) waits for the build at exit
        # instead of leaving a half-built standby behind.
        threading.Thread(target=_refill_in_thread, name="standby-refill", daemon=False).start()

    transaction.on_commit(start)


def _refill_in_thread() -> None:
    try:
        refill_pool()
    except Exception:
        logger.exception("standby pool refill failed")
    finally:
        connections.close_all()
        _refill_thread_lock.release()
