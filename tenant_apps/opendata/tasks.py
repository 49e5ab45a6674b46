"""Background work of open data: calendar imports (hourly from beat, in every live
territory's schema, and on demand) and the changes feed's reconciliation."""

from __future__ import annotations

from django.db import connection

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
    """Import every calendar of the territory, one after the other."""
    territory = _territory()
    count = 0
    for calendar in CalendarFeed.objects.select_related("provider").order_by("pk"):
        sync_calendar(calendar=calendar, territory=territory)
        count += 1
    return count


@platform_task(name="opendata.reconcile_feed")
def reconcile_feed_task() -> int:
    return changes.reconcile()
