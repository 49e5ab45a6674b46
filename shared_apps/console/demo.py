"""Demo: the coordinator console shows figures from the first start."""

from __future__ import annotations

from typing import Any

from shared_apps.console.actions import refresh_territory_figures
from shared_apps.core.demo import demo_step


@demo_step(order=95, scope="network")
def count_figures(territories: Any, users: Any) -> None:
    refresh_territory_figures()
