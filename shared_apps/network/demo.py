"""The demo network `make run` serves: four territories and the README's demo users."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "learn-demo-2026"  # noqa: S105 - documented demo accounts, local only
COORDINATOR_EMAIL = "coordinator@example.org"
PLATFORM_STAFF_EMAIL = "staff@example.org"


@dataclass(frozen=True)
class DemoTerritory:
    slug: str
    name: str
    country: str
    language: str
    timezone: str
    lat: float
    lon: float
    primary_color: str
    accent_color: str
    kind: str = "city"
    zoom: int = 12

    def email(self, role: str) -> str:
        return f"{role}.{self.slug}@example.org"


DEMO_TERRITORIES = [
    DemoTerritory(
        "vilnius", "Vilnius", "LT", "lt", "Europe/Vilnius", 54.6872, 25.2797, "#8c1c2b", "#f4c430"
    ),
    DemoTerritory(
        "ljubljana",
        "Ljubljana",
        "SI",
        "sl",
        "Europe/Ljubljana",
        46.0569,
        14.5058,
        "#1b5e20",
        "#a5d6a7",
    ),
    DemoTerritory(
        "cagliari", "Cagliari", "IT", "it", "Europe/Rome", 39.2238, 9.1217, "#0b4f8a", "#ffb74d"
    ),
    DemoTerritory(
        "mikkeli", "Mikkeli", "FI", "fi", "Europe/Helsinki", 61.6886, 27.2723, "#4a2a7a", "#80deea"
    ),
]

# Demo roles per territory: the user's email is "<role>.<slug>@example.org".
DEMO_ROLES = {
    "learner": "learner",
    "provider": "provider_staff",
    "admin": "territory_admin",
}
