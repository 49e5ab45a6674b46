"""A small hand-made grid around aurora's centre, with answers computed by hand.

    C   the centre cell           venue: 2 sessions/week (robotics), 1,000 young people
    N   a neighbour of C (815 m)  venue: 1 session/week (music), 500 young people
    F   four rings away (~3 km)   venue: 1 session/week (music), 4,000 young people

With distance 1,000 m a cell reaches itself and its six neighbours only, so
C and N reach 3 sessions for 1,500 young people (index 2.0), F 1 for 4,000 (0.25).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import h3
from django.contrib.gis.geos import Point
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import Activity, Venue
from tenant_apps.demand.actions import log_interest, log_search
from tenant_apps.demand.models import SearchEvent
from tenant_apps.deserts.models import PopulationArea
from tenants.models import Territory
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, make_venue


@dataclass(frozen=True)
class Grid:
    centre: str
    neighbour: str
    far: str
    lonely: str


def grid_for(territory: Territory) -> Grid:
    centre = h3.latlng_to_cell(territory.map_center.y, territory.map_center.x, 8)
    neighbour = sorted(h3.grid_ring(centre, 1))[0]
    far = sorted(h3.grid_ring(centre, 4))[0]
    lonely = sorted(h3.grid_ring(centre, 8))[0]
    return Grid(centre, neighbour, far, lonely)


def point_of(cell: str) -> tuple[float, float]:
    lat, lon = h3.cell_to_latlng(cell)
    return float(lat), float(lon)


def search_from(cell: str, *, count: int, zero: int = 0, interests: tuple[str, ...] = ()) -> None:
    """``count`` searches from the cell; the first ``zero`` found nothing."""
    for number in range(count):
        log_search(
            terms="",
            filters={"interests": list(interests)} if interests else {},
            result_count=0 if number < zero else 5,
            point=point_of(cell),
        )


def build_grid(territory: Territory) -> Grid:
    grid = grid_for(territory)
    provider = make_provider(territory, "Grid youth centre")

    def venue_at(cell: str, name: str) -> Venue:
        lat, lon = point_of(cell)
        return make_venue(territory, provider, name, lat=lat, lon=lon)

    make_activity(
        territory,
        provider,
        "Robots",
        interests=["robotics"],
        venue=venue_at(grid.centre, "C"),
        weekdays=[1, 3],
    )
    make_activity(
        territory,
        provider,
        "Choir",
        interests=["music"],
        venue=venue_at(grid.neighbour, "N"),
        weekdays=[5],
    )
    far_venue = venue_at(grid.far, "F")
    make_activity(territory, provider, "Guitar", interests=["music"], venue=far_venue, weekdays=[2])
    # Neither a draft nor an online activity counts as local supply.
    make_activity(
        territory,
        provider,
        "Draft band",
        interests=["music"],
        venue=far_venue,
        status=Activity.Status.DRAFT,
        weekdays=[0, 1, 2, 3, 4],
    )
    make_activity(
        territory,
        provider,
        "Online coding",
        interests=["robotics"],
        format=Activity.Format.ONLINE,
        online_url="https://example.org/c",
        weekdays=[0, 1, 2],
    )
    with tenant_context(territory):
        for code, cell, young_people in (
            ("C", grid.centre, 1000),
            ("N", grid.neighbour, 500),
            ("F", grid.far, 4000),
        ):
            lat, lon = point_of(cell)
            PopulationArea.objects.create(
                code=code,
                name=f"District {code}",
                young_people=young_people,
                point=Point(lon, lat, srid=4326),
            )
        search_from(grid.centre, count=12, zero=3, interests=("music",))
        search_from(grid.neighbour, count=3, zero=3)
        # Two searches from an empty cell: the cell must not appear at all.
        search_from(grid.lonely, count=2)
        log_interest(
            activity_id=1,
            interest_slugs=["music"],
            point=point_of(grid.centre),
            activity_point=None,
        )
        log_interest(
            activity_id=1,
            interest_slugs=["arts"],
            point=point_of(grid.centre),
            activity_point=None,
        )
        # Older than the run's window: not counted.
        search_from(grid.far, count=20)
        SearchEvent.objects.filter(cell=grid.far).update(
            created_at=timezone.now() - datetime.timedelta(days=200)
        )
    return grid
