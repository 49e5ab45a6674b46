"""Run the features' set-up hooks (tenants.setup) in every existing territory.

New territories get them while being provisioned; this brings territories provisioned
before a hook existed up to date (the release runs it after migrate_territories). Each
hook is idempotent, so running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tenants import setup
from tenants.models import Territory


class Command(BaseCommand):
    help = "Create what each feature needs in every territory (idempotent)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        territories = Territory.objects.exclude(schema_name="public").exclude(
            status__in=[Territory.Status.PROVISIONING, Territory.Status.ARCHIVED]
        )
        count = 0
        for territory in territories.order_by("pk"):
            with transaction.atomic():
                setup.run_schema_ready(territory)
            count += 1
        if options["verbosity"] >= 1:
            self.stdout.write(f"set up {count} territories")
