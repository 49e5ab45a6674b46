"""Reads of the import pages."""

from __future__ import annotations

from django.db.models import QuerySet

from tenant_apps.imports.models import ImportJob

RECENT_JOBS = 20


def recent_jobs() -> QuerySet[ImportJob]:
    """The territory's latest imports (the schema is the territory's: no other
    territory's job is ever in it)."""
    return ImportJob.objects.defer("errors", "columns").order_by("-created_at")[:RECENT_JOBS]
