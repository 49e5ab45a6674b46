"""The background run of a confirmed import (in the territory's schema)."""

from __future__ import annotations

from django.db import connection

from shared_apps.ops.tasks import RetryableError, platform_task
from tenant_apps.imports.actions import run_import
from tenants.models import Territory


class JobNotCommittedYet(RetryableError):
    pass


@platform_task(name="imports.run_import")
def run_import_task(job_id: str) -> str:
    """Run a queued import. Idempotent: a job already running or finished is left."""
    territory = Territory.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]
    job = run_import(job_id=job_id, territory=territory)
    if job is None:
        raise JobNotCommittedYet(f"import {job_id} not found")
    return str(job.status)
