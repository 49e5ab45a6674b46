"""Synthetic reference population of the demo territories.

Deterministic (seeded by the slug): a grid of square districts around the map centre,
denser towards the centre, with totals in the order of the real cities' young people
(10-24 years). Made up, and labelled as such in the district names.
"""

from __future__ import annotations

import math
import random

from django.contrib.gis.geos import MultiPolygon, Polygon

from shared_apps.accounts.models import User
from shared_apps.core.demo import demo_step
from tenant_apps.deserts.actions import compute_deserts
from tenant_apps.deserts.models import PopulationArea
from tenants.models import Territory

# Young people (10-24) in the demo territories, roughly as in the real cities.
YOUNG_PEOPLE = {"vilnius": 95000, "ljubljana": 45000, "cagliari": 22000, "mikkeli": 8000}
DEFAULT_YOUNG_PEOPLE = 10000
GRID = 7  # districts per side
SIDE_KM = 1.6


def synthetic_districts(
    slug: str, lat: float, lon: float, total: int
) -> list[tuple[str, str, int, MultiPolygon]]:
    """``GRID`` x ``GRID`` square districts centred on (lat, lon)."""
    rng = random.Random(sum(map(ord, slug)))  # noqa: S311 - demo figures, not security
    dlat = SIDE_KM / 111.32
    dlon = SIDE_KM / (111.32 * math.cos(math.radians(lat)))
    half = GRID / 2
    weights = []
    for row in range(GRID):
        for col in range(GRID):
            distance = math.hypot(row + 0.5 - half, col + 0.5 - half) * SIDE_KM
            weights.append((row, col, math.exp(-distance / 4.0) * rng.uniform(0.4, 1.6)))
    scale = total / sum(w for _, _, w in weights)
    districts = []
    for row, col, weight in weights:
        south = lat + (row - half) * dlat
        west = lon + (col - half) * dlon
        square = Polygon(
            (
                (west, south),
                (west + dlon, south),
                (west + dlon, south + dlat),
                (west, south + dlat),
                (west, south),
            )
        )
        code = f"D{row + 1}{col + 1}"
        districts.append(
            (code, f"Demo {code}", round(weight * scale), MultiPolygon(square, srid=4326))
        )
    return districts


@demo_step(order=60)
def demo_population(territory: Territory, users: dict[str, User]) -> None:
    if PopulationArea.objects.exists():
        return
    total = YOUNG_PEOPLE.get(territory.slug, DEFAULT_YOUNG_PEOPLE)
    centre = territory.map_center
    PopulationArea.objects.bulk_create(
        PopulationArea(code=code, name=name, young_people=young, polygon=polygon)
        for code, name, young, polygon in synthetic_districts(
            territory.slug, centre.y, centre.x, total
        )
    )
    compute_deserts(territory)
