"""Background work of open data: calendar imports (hourly from beat, in every live
territory's schema, and on demand) and the changes feed's reconciliation."""

from __future__ import annotations

from django.db import connection, transaction

from shared_apps.ops.outbox import send_task_on_commit
from shared_apps.ops.tasks import platform_task
from tenant_apps.opendata import changes
from tenant_apps.opendata.actions import sync_calendar
from tenant_apps.opendata.models import CalendarFeed
from tenants.models import Territory


def _territory() -> Territory:
    return Territory.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]


@platform_task(name="opendata.sync_calendar")
def sync_calendar_task(calendar_id: int) -> str:
    """Import one calendar. Idempotent (unchanged events are left alone); a calendar
    removed meanwhile is nothing to do."""
    calendar = CalendarFeed.objects.select_related("provider").filter(pk=calendar_id).first()
    if calendar is None:
        return "gone"
    return sync_calendar(calendar=calendar, territory=_territory()).summary


@platform_task(name="opendata.sync_calendars")
def sync_calendars_task() -> int:
    """Hand every calendar of the territory to its own task: a slow or failing
    calendar server delays (and retries) only its own import."""
    ids = list(CalendarFeed.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for calendar_id in ids:
            send_task_on_commit(sync_calendar_task, args=[calendar_id])
    return len(ids)


@platform_task(name="opendata.reconcile_feed")
def reconcile_feed_task() -> int:
    return changes.reconcile()
