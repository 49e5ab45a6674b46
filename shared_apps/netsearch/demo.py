"""Demo: the network index is built from the territories' demo activities (idempotent:
the reconciliation adds what is missing and changes nothing otherwise)."""

from __future__ import annotations

from typing import Any

from shared_apps.core.demo import demo_step
from shared_apps.netsearch.actions import reconcile_all


@demo_step(order=90, scope="network")
def build_network_index(territories: Any, users: Any) -> None:
    reconcile_all(repair=True)
