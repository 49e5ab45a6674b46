"""Celery beat schedulers that know about territories.

An entry in settings.CELERY_BEAT_SCHEDULE without ``tenant_schemas`` is sent once per
live territory (trial, active, suspended), into that territory's schema; an entry with
``"tenant_schemas": ["public"]`` runs once, in the public schema (network-wide work).
Territories being provisioned or archived get nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.scheduler import (
    TenantAwarePersistentScheduler,
    TenantAwareScheduler,
)

from tenants.models import Territory


class _LiveTerritories:
    @classmethod
    def get_queryset(cls) -> QuerySet[Territory]:
        return Territory.objects.filter(status__in=Territory.LIVE_STATUSES).order_by("pk")

    def apply_entry(self, entry: Any, producer: Any = None) -> None:
        headers = entry.options.setdefault("headers", {})
        # The public schema has no Territory row, so the base class would skip it.
        if headers.get("_schema_name") == get_public_schema_name():
            with schema_context(get_public_schema_name()):
                self.apply_async(entry, producer=producer, advance=False)  # type: ignore[attr-defined]
            return
        super().apply_entry(entry, producer=producer)  # type: ignore[misc]


class TerritoryScheduler(_LiveTerritories, TenantAwareScheduler):
    """In memory (tests, one-off runs)."""


class PersistentTerritoryScheduler(_LiveTerritories, TenantAwarePersistentScheduler):
    """Production: remembers last run times in the file given by ``beat --schedule``."""
