"""Time zone choices, the country's own zones first (from the system's tz database)."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from pathlib import Path

ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


@lru_cache(maxsize=1)
def zones_by_country() -> dict[str, list[str]]:
    """Country code -> its time zones, from zone.tab (empty if the file is missing)."""
    result: dict[str, list[str]] = {}
    if not ZONE_TAB.exists():
        return result
    for line in ZONE_TAB.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            result.setdefault(parts[0], []).append(parts[2])
    return result


@lru_cache(maxsize=1)
def _all_zones() -> list[str]:
    return sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")
    )


def timezone_choices(country: str = "") -> list[tuple[str, str]]:
    own = zones_by_country().get(country.upper(), [])
    rest = [zone for zone in _all_zones() if zone not in own]
    return [(zone, zone.replace("_", " ")) for zone in [*own, *rest]]


def suggested_timezone(country: str) -> str:
    own = zones_by_country().get(country.upper(), [])
    return own[0] if own else "UTC"
