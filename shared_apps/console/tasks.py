from __future__ import annotations

from shared_apps.console import actions
from shared_apps.ops.tasks import platform_task


@platform_task(name="console.refresh_territory_figures")
def refresh_territory_figures() -> int:
    """Hourly, network-wide (CELERY_BEAT_SCHEDULE, tenant_schemas ["public"])."""
    return actions.refresh_territory_figures()
