"""Writes of the desert analytics: runs and the reference population.

Every function runs in the territory's schema (the caller entered it) and is given
the territory resolved at the edge.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.ops.outbox import send_task_on_commit
from tenant_apps.catalogue.search import territory_today
from tenant_apps.deserts import compute, selectors
from tenant_apps.deserts.models import (
    DEFAULT_DISTANCE_M,
    DEFAULT_K,
    DEFAULT_WINDOW_DAYS,
    DesertRun,
    PopulationArea,
)
from tenant_apps.deserts.population import ParsedArea
from tenants.models import Territory


def _assert_schema(territory: Territory) -> None:
    if connection.schema_name != territory.schema_name:  # type: ignore[attr-defined]
        raise RuntimeError("desert analytics must run in the territory's own schema")


def compute_deserts(
    territory: Territory,
    *,
    distance_m: int = DEFAULT_DISTANCE_M,
    k: int = DEFAULT_K,
    window_days: int = DEFAULT_WINDOW_DAYS,
    run: DesertRun | None = None,
) -> DesertRun:
    """Compute and store one run (all cells, summary, monthly trend point).

    Atomic: a failed computation leaves the earlier runs as they were. Only the
    latest run of each month is kept, which is the trend over months.
    """
    _assert_schema(territory)
    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        if run is None:
            run = DesertRun.objects.create(distance_m=distance_m, k=k, window_days=window_days)
        else:
            run = DesertRun.objects.select_for_update().get(pk=run.pk)
            distance_m, k, window_days = run.distance_m, run.k, run.window_days
        compute.run_sql(
            run_id=run.pk,
            today=territory_today(territory.timezone),
            since=now - datetime.timedelta(days=window_days),
            distance_m=distance_m,
            k=k,
        )
        month = territory_today(territory.timezone).replace(day=1)
        DesertRun.objects.filter(pk=run.pk).update(
            status=DesertRun.Status.DONE,
            computed_at=now,
            month=month,
            duration_ms=int((time.monotonic() - started) * 1000),
            error="",
        )
        # Earlier runs of the month are superseded; unfinished ones are dropped too.
        DesertRun.objects.filter(month=month).exclude(pk=run.pk).delete()
        DesertRun.objects.filter(
            status__in=[DesertRun.Status.PENDING, DesertRun.Status.FAILED],
            created_at__lt=run.created_at,
        ).delete()
    run.refresh_from_db()
    return run


def request_run(territory: Territory, *, acting_user: Any) -> DesertRun:
    """Queue a run from the page (on commit, so the worker finds the row)."""
    from tenant_apps.deserts.tasks import (
        compute_deserts_task,  # cycle: tenant_apps.deserts.tasks imports this module at load
    )

    _assert_schema(territory)
    with transaction.atomic():
        pending = selectors.pending_run()
        if pending is not None:
            return pending
        run = DesertRun.objects.create()
        record(
            actor=acting_user,
            action=AuditEvent.DESERTS_RUN_REQUESTED,
            territory=territory,
            target=run,
        )
        # Through the outbox: the request never fails or waits on the broker.
        send_task_on_commit(compute_deserts_task, args=[run.pk])
    return run


def replace_population(
    territory: Territory, *, areas: list[ParsedArea], acting_user: Any, keep_others: bool
) -> int:
    """Store uploaded areas (already validated, all or nothing).

    Areas with a code already stored are updated; with ``keep_others`` false, areas
    not in the upload are removed (a full replacement).
    """
    _assert_schema(territory)
    with transaction.atomic():
        existing = {area.code: area for area in PopulationArea.objects.select_for_update()}
        for parsed in areas:
            area = existing.get(parsed.code) or PopulationArea(code=parsed.code)
            area.name = parsed.name or area.name or parsed.code
            area.young_people = parsed.young_people
            if parsed.polygon is not None:
                area.polygon = parsed.polygon
            if parsed.point is not None:
                area.point = parsed.point
            area.save()
        if not keep_others:
            PopulationArea.objects.exclude(code__in=[a.code for a in areas]).delete()
        record(
            actor=acting_user,
            action=AuditEvent.DESERTS_POPULATION_UPLOADED,
            territory=territory,
            details={"areas": len(areas), "replace": not keep_others},
        )
    return len(areas)
