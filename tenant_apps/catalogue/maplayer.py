"""The map's data for the visible box: server-side clusters at low zoom, places (venues
with their activities) when zoomed in or when few activities are in view.

Clusters are a grid of ~64 screen pixels on Web Mercator metres stored with each
activity, grouped in one query that reads only an index, so a whole-city view of
100,000 activities answers a few hundred numbers.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, QuerySet
from django.db.models.functions import Floor

from shared_apps.core.pagecache import public_version
from tenant_apps.catalogue.models import Activity
from tenants.models import Territory

EARTH_RADIUS = 6378137.0
WORLD = 2 * math.pi * EARTH_RADIUS
MAX_LAT = 85.05112878
CELL_PIXELS = 64
# From this zoom on (streets readable) every place is shown.
DETAIL_ZOOM = 15
# Below it, places are sent instead of clusters while there are at most this many.
MAX_PLACES = 300
ACTIVITIES_PER_PLACE = 5


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """``west,south,east,north`` in degrees; ValueError when malformed."""
        parts = [float(p) for p in text.split(",")]
        if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
            raise ValueError("bbox")
        west, south, east, north = parts
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValueError("bbox")
        return cls(west, south, east, north)


def to_mercator(lat: float, lon: float) -> tuple[float, float]:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = math.radians(lon) * EARTH_RADIUS
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_RADIUS
    return x, y


def to_lat_lon(x: float, y: float) -> tuple[float, float]:
    lon = math.degrees(x / EARTH_RADIUS)
    lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)
    return lat, lon


def cell_size(zoom: int) -> float:
    """Metres covered by CELL_PIXELS screen pixels at this zoom (256-pixel tiles)."""
    return WORLD / (256 * 2**zoom) * CELL_PIXELS


def _in_box(queryset: QuerySet[Activity], bbox: BBox) -> QuerySet[Activity]:
    x1, y1 = to_mercator(bbox.south, bbox.west)
    x2, y2 = to_mercator(bbox.north, bbox.east)
    return queryset.filter(map_x__gte=x1, map_x__lte=x2, map_y__gte=y1, map_y__lte=y2)


def _round(value: float) -> float:
    return round(value, 5)


FILTERED_CACHE_SECONDS = 300
# Up to this zoom (a whole city on a desktop screen), a filtered view's clusters are
# computed for the whole territory at once and cached: panning and the other
# visitors' boxes at that zoom read no table. Further in, only the box is grouped.
TERRITORY_ZOOM = 12


def _grid(queryset: QuerySet[Activity], zoom: int) -> QuerySet[Any, dict[str, Any]]:
    """The activities grouped on the zoom's grid in SQL: (cell, count, mean x, y)."""
    size = cell_size(zoom)
    return (
        queryset.annotate(cx=Floor(F("map_x") / size), cy=Floor(F("map_y") / size))
        .values("cx", "cy")
        # count(*), not count(id): every column read is in cat_act_map_idx, so the
        # whole-city view is an index-only scan.
        .annotate(n=Count("*"), x=Avg("map_x"), y=Avg("map_y"))
        .order_by()
    )


def _sql_key(name: str, rows: QuerySet[Any, Any]) -> str:
    """A cache key named by a query's own SQL and parameters (today's date and every
    filter are among them) and the public content version."""
    sql, params = rows.query.sql_with_params()
    digest = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()[:40]
    return f"catalogue:{name}:{public_version()}:{digest}"


def filtered_cells(queryset: QuerySet[Activity], zoom: int) -> list[tuple[float, float, int]]:
    """All clusters of the territory's activities matching a filter at this zoom:
    (x, y, count), cached like the unfiltered ones (territory_cells) under the query
    and the public content version. One scan of what the filter's index finds,
    without the box: a box as large as the city only made PostgreSQL intersect the
    filter's bitmap with the whole map index (issue 17)."""
    rows = _grid(queryset.filter(map_x__isnull=False), zoom)
    key = _sql_key("map-filtered-cells", rows)
    cells: list[tuple[float, float, int]] | None = cache.get(key)
    if cells is None:
        cells = [(row["x"], row["y"], row["n"]) for row in rows]
        cache.set(key, cells, FILTERED_CACHE_SECONDS)
    return cells


def clusters(
    queryset: QuerySet[Activity], bbox: BBox, zoom: int, *, cached: bool = False
) -> tuple[int, list[list[Any]]]:
    """Clusters of the activities in the box. ``cached``: kept (per territory: the
    key function carries the schema) under the query's own SQL and parameters and
    the public content version, which every publish action bumps, like the search
    counts: a filtered map ("music", "free") asked again by the next visitor, or
    after a pan back, reads no table (issue 17); up to TERRITORY_ZOOM, the clusters
    of the whole territory are kept, so any box at that zoom is found."""
    if cached and zoom <= TERRITORY_ZOOM:
        return _in_view(filtered_cells(queryset, zoom), bbox)
    rows = _grid(_in_box(queryset, bbox), zoom)
    key = ""
    if cached:
        key = _sql_key("map-filtered", rows)
        hit: tuple[int, list[list[Any]]] | None = cache.get(key)
        if hit is not None:
            return hit
    found = []
    total = 0
    for row in rows:
        lat, lon = to_lat_lon(row["x"], row["y"])
        found.append([_round(lat), _round(lon), row["n"]])
        total += row["n"]
    found.sort(key=lambda c: -c[2])
    if key:
        cache.set(key, (total, found), FILTERED_CACHE_SECONDS)
    return total, found


CELLS_CACHE_SECONDS = 300


def _cells_key(zoom: int, today: datetime.date) -> str:
    return f"catalogue:map-cells:{today.isoformat()}:{zoom}"


def territory_cells(
    queryset: QuerySet[Activity], zoom: int, today: datetime.date
) -> list[tuple[float, float, int]]:
    """All clusters of the territory at this zoom, unfiltered: (x, y, count), cached
    (per schema, per day) and dropped when an activity's public state changes. The
    whole-city view, the most common request, then reads no table at all."""
    key = _cells_key(zoom, today)
    cells = cache.get(key)
    if cells is None:
        rows = _grid(queryset.filter(map_x__isnull=False), zoom)
        cells = [(row["x"], row["y"], row["n"]) for row in rows]
        cache.set(key, cells, CELLS_CACHE_SECONDS)
    return list(cells)


def forget_cells(today: datetime.date) -> None:
    cache.delete_many([_cells_key(zoom, today) for zoom in range(DETAIL_ZOOM)])


def cached_clusters(
    queryset: QuerySet[Activity], bbox: BBox, zoom: int, today: datetime.date
) -> tuple[int, list[list[Any]]]:
    return _in_view(territory_cells(queryset, zoom, today), bbox)


def _in_view(cells: list[tuple[float, float, int]], bbox: BBox) -> tuple[int, list[list[Any]]]:
    """The clusters whose centre is in the box, largest first, and their total."""
    x1, y1 = to_mercator(bbox.south, bbox.west)
    x2, y2 = to_mercator(bbox.north, bbox.east)
    found = []
    total = 0
    for x, y, n in cells:
        if x1 <= x <= x2 and y1 <= y <= y2:
            lat, lon = to_lat_lon(x, y)
            found.append([_round(lat), _round(lon), n])
            total += n
    found.sort(key=lambda c: -c[2])
    return total, found


def places(queryset: QuerySet[Activity], bbox: BBox) -> list[dict[str, Any]]:
    rows = (
        _in_box(queryset, bbox)
        .values_list("venue_id", "map_x", "map_y", "id", "title")
        .order_by("venue_id", "id")
    )
    grouped: dict[tuple[int | None, float, float], dict[str, Any]] = {}
    for venue_id, x, y, pk, title in rows:
        if x is None or y is None:  # excluded by the box filter; kept for typing
            continue
        key = (venue_id, x, y)
        place = grouped.get(key)
        if place is None:
            lat, lon = to_lat_lon(x, y)
            place = grouped[key] = {
                "lat": _round(lat),
                "lon": _round(lon),
                "venue": venue_id,
                "count": 0,
                "activities": [],
            }
        place["count"] += 1
        if len(place["activities"]) < ACTIVITIES_PER_PLACE:
            place["activities"].append([pk, title])
    return list(grouped.values())


def layer(
    queryset: QuerySet[Activity],
    bbox: BBox,
    zoom: int,
    *,
    unfiltered_on: datetime.date | None = None,
) -> dict[str, Any]:
    """``{"mode": "clusters", "clusters": [[lat, lon, count], ...], "total": n}`` or
    ``{"mode": "places", "places": [{lat, lon, venue, count, activities}], "total": n}``.

    ``unfiltered_on``: the queryset is all current activities (no filter) as of that
    day, so the territory's cached clusters can answer."""
    zoom = max(0, min(20, zoom))
    if zoom < DETAIL_ZOOM:
        if unfiltered_on is not None:
            total, cells = cached_clusters(queryset, bbox, zoom, unfiltered_on)
        else:
            total, cells = clusters(queryset, bbox, zoom, cached=True)
        if total > MAX_PLACES:
            return {"mode": "clusters", "zoom": zoom, "total": total, "clusters": cells}
    found = places(queryset, bbox)
    return {
        "mode": "places",
        "zoom": zoom,
        "total": sum(p["count"] for p in found),
        "places": found,
    }


def map_settings(territory: Territory) -> dict[str, Any]:
    """What the page's map script needs: tiles (configurable) and the start view."""
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "lat": territory.map_center.y,
        "lon": territory.map_center.x,
        "zoom": territory.default_zoom,
    }
