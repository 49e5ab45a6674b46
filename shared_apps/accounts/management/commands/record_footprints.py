"""Record the footprints of rows written before footprints existed (run once after the
release that added them; safe to repeat). Reads every territory schema once: the
account ids in each tracked field (shared_apps.accounts.footprints)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from shared_apps.accounts import footprints
from shared_apps.accounts.models import Membership
from tenants.models import Territory


class Command(BaseCommand):
    help = "Record which territories hold rows about which accounts (one pass over every schema)."

    def handle(self, *args: Any, **options: Any) -> None:
        for user_id, territory_id in Membership.objects.values_list("user_id", "territory_id"):
            footprints.note([user_id], territory_id)
        tracked = footprints.tracked_models()
        territories = list(Territory.objects.exclude(schema_state__status_when_ready__gt=""))
        for territory in territories:
            ids: set[int] = set()
            with tenant_context(territory):
                for model, fields in tracked.items():
                    for name in fields:
                        ids |= set(
                            model._default_manager.exclude(**{f"{name}__isnull": True})
                            .values_list(name, flat=True)
                            .distinct()
                        )
            footprints.note(ids, territory.pk)
        if options["verbosity"] >= 1:
            self.stdout.write(f"footprints recorded for {len(territories)} territories")
