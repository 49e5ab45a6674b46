"""Rebuild the backpack index from every territory's awards (repairs a missed update)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from shared_apps.backpack.actions import award_source, index_awards
from tenants.models import Territory


class Command(BaseCommand):
    help = "Rebuild the backpack index from the awards of every territory."

    def handle(self, *args: Any, **options: Any) -> None:
        source = award_source()  # the badges app's, registered in its AppConfig.ready()
        total = 0
        for territory in Territory.objects.exclude(status=Territory.Status.PROVISIONING):
            with tenant_context(territory):
                ids = source.award_ids() if source is not None else []
            for start in range(0, len(ids), 500):
                total += index_awards(territory_id=territory.pk, award_ids=ids[start : start + 500])
        self.stdout.write(f"backpack: {total} entries indexed")
