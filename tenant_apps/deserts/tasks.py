"""Background runs: nightly from beat (in every live territory's schema) and on demand."""

from __future__ import annotations

from django.db import connection

from shared_apps.ops.tasks import RetryableError, platform_task
from tenant_apps.deserts.actions import compute_deserts
from tenant_apps.deserts.models import DesertRun
from tenants.models import Territory


class RunNotCommittedYet(RetryableError):
    pass


@platform_task(name="deserts.compute")
def compute_deserts_task(run_id: int | None = None) -> str:
    """Compute a requested run (``run_id``) or, nightly, a new one. Idempotent: a run
    already done is left alone."""
    territory = Territory.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]
    run = None
    if run_id is not None:
        run = DesertRun.objects.filter(pk=run_id).first()
        if run is None:
            raise RunNotCommittedYet(f"desert run {run_id} not found")
        if run.status == DesertRun.Status.DONE:
            return "already-done"
    try:
        compute_deserts(territory, run=run)
    except Exception as error:
        if run is not None:
            DesertRun.objects.filter(pk=run.pk).update(
                status=DesertRun.Status.FAILED, error=type(error).__name__[:300]
            )
        raise
    return "done"
