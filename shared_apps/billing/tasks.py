from __future__ import annotations

from celery import shared_task

from shared_apps.billing import actions


@shared_task
def billing_housekeeping() -> dict[str, int]:
    """Hourly (CELERY_BEAT_SCHEDULE): reminders, suspensions, archiving."""
    return actions.housekeeping()
