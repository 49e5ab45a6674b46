"""Background work of the catalogue: nightly from beat, in every live territory's schema."""

from __future__ import annotations

from shared_apps.ops.tasks import platform_task
from tenant_apps.catalogue.actions import purge_closed_invitations


@platform_task(name="catalogue.purge_invitations")
def purge_invitations_task() -> int:
    """Forget the addresses of staff invitations closed a month ago. Idempotent."""
    return purge_closed_invitations()
