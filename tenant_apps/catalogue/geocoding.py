"""Address search for the venue form: typed words to places on the territory's map.

It answers from the territory's own data first, offline: addresses of its venues,
its neighbourhoods (the centre of their venues) and the territory itself (its map
centre). Everything read is in the territory's schema, so another territory's places
never appear. If settings.GEOCODER_URL names a Nominatim-compatible search endpoint,
its answers are added, limited to a box around the territory: only the typed words
are sent (no account, no cookie, no referrer), with a timeout and our user agent. A
failing geocoder costs nothing but its own results; the map click stays the fallback.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models import Collect
from django.contrib.gis.db.models.functions import Centroid
from django.db.models import Count, Q

from tenant_apps.catalogue.actions import MAX_VENUE_DISTANCE_KM
from tenant_apps.catalogue.models import Provider, Venue
from tenants.models import Territory

logger = logging.getLogger(__name__)

MAX_QUERY = 120
MAX_RESULTS = 8


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    # "venue", "neighbourhood", "territory" or "geocoder": shown, and the form fills
    # the neighbourhood only from the territory's own neighbourhoods.
    source: str
    neighbourhood: str = ""


def _radius_km(territory: Territory) -> int:
    return MAX_VENUE_DISTANCE_KM.get(territory.kind, 60)


def _bounds(territory: Territory) -> tuple[float, float, float, float]:
    """West, south, east, north of the box venues may lie in."""
    km = _radius_km(territory)
    lat, lon = territory.map_center.y, territory.map_center.x
    dlat = km / 111.32
    dlon = km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def _local(query: str, territory: Territory, provider: Provider | None) -> list[Place]:
    places: list[Place] = []
    seen: set[str] = set()
    # Venues of verified providers are public; a provider also finds its own.
    known = Venue.objects.filter(
        Q(provider__status=Provider.Status.VERIFIED) | Q(provider=provider)
    )
    venues = (
        known.filter(address__unaccent__icontains=query)
        .order_by("address")
        .values_list("address", "neighbourhood", "point")[: MAX_RESULTS * 2]
    )
    for address, neighbourhood, point in venues:
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        places.append(Place(address, point.y, point.x, "venue", neighbourhood))
    areas = (
        known.filter(neighbourhood__unaccent__icontains=query)
        .values("neighbourhood")
        .annotate(n=Count("id"), centre=Centroid(Collect("point")))
        .order_by("-n", "neighbourhood")[:MAX_RESULTS]
    )
    for area in areas:
        name = area["neighbourhood"]
        places.append(
            Place(
                f"{name}, {territory.name}",
                area["centre"].y,
                area["centre"].x,
                "neighbourhood",
                name,
            )
        )
    if query.casefold() in territory.name.casefold():
        centre = territory.map_center
        places.append(Place(territory.name, centre.y, centre.x, "territory"))
    return places


def _remote(query: str, territory: Territory) -> list[Place]:
    url = settings.GEOCODER_URL
    if not url:
        return []
    west, south, east, north = _bounds(territory)
    params = urllib.parse.urlencode(
        {
            "q": query,
            "format": "jsonv2",
            "limit": MAX_RESULTS,
            "viewbox": f"{west:.5f},{north:.5f},{east:.5f},{south:.5f}",
            "bounded": 1,
            "accept-language": territory.default_language,
        }
    )
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        f"{url}?{params}",
        headers={"User-Agent": settings.GEOCODER_USER_AGENT, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.GEOCODER_TIMEOUT) as response:  # noqa: S310
            rows = json.loads(response.read(512 * 1024))
    except (OSError, ValueError) as error:
        # Never the query in the log: it may be someone's home address.
        logger.warning("geocoder unavailable: %s", type(error).__name__)
        return []
    places = []
    for row in rows if isinstance(rows, list) else []:
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            label = str(row["display_name"])[:255]
        except (KeyError, TypeError, ValueError):
            continue
        # The box is a hint to the geocoder: keep only what is really around here.
        if west <= lon <= east and south <= lat <= north:
            places.append(Place(label, lat, lon, "geocoder"))
    return places


def search_addresses(
    query: str, *, territory: Territory, provider: Provider | None = None
) -> list[Place]:
    """Places matching ``query`` in ``territory`` (its schema must be the connection's),
    its own first, at most MAX_RESULTS, for ``provider``'s venue form. Fewer than 3
    characters find nothing."""
    query = " ".join(query.split())[:MAX_QUERY]
    if len(query) < 3:
        return []
    places = _local(query, territory, provider)
    if len(places) < MAX_RESULTS:
        places += _remote(query, territory)
    return places[:MAX_RESULTS]
