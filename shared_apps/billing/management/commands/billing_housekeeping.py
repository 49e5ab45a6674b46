"""Run billing housekeeping now (what the hourly Celery beat task does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shared_apps.billing import actions


class Command(BaseCommand):
    help = "Send billing reminders, suspend after pilots and grace periods, archive."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = actions.housekeeping()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
