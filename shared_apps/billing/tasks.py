from __future__ import annotations

from shared_apps.billing import actions
from shared_apps.ops.tasks import platform_task


@platform_task(name="shared_apps.billing.tasks.billing_housekeeping")
def billing_housekeeping() -> dict[str, int]:
    """Hourly (CELERY_BEAT_SCHEDULE): reminders, suspensions, archiving."""
    return actions.housekeeping()
