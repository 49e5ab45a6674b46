from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shared_apps.console.actions import refresh_territory_figures


class Command(BaseCommand):
    help = "Recount every territory's figures for the coordinator console."

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_territory_figures()
        self.stdout.write(f"refreshed figures of {count} territories")
