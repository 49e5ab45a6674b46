from __future__ import annotations

from django_tenants.utils import schema_context

from shared_apps.guardians.retention import apply_retention
from shared_apps.ops.tasks import platform_task


@platform_task(name="guardians.flag_inactive_minors")
def flag_inactive_minors() -> dict[str, int]:
    """Beat, daily, network-wide: see shared_apps.guardians.retention."""
    with schema_context("public"):
        result = apply_retention()
    return {"flagged": result.flagged, "cleared": result.cleared, "deleted": result.deleted}
