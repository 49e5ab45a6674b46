"""Venues: where activities take place, checked to lie in or near the territory."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from tenant_apps.catalogue.actions.activities import _refresh
from tenant_apps.catalogue.fields import VENUE_FIELDS
from tenant_apps.catalogue.models import (
    Provider,
    Venue,
)
from tenants.models import Territory

# How far from the territory's centre a venue may be.
MAX_VENUE_DISTANCE_KM: dict[str, int] = {
    Territory.Kind.CITY.value: 60,
    Territory.Kind.REGION.value: 250,
}


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two WGS84 points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.y, a.x, b.y, b.x))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def check_venue_point(point: Point, territory: Territory) -> None:
    """Venues lie in or near the territory: catches swapped latitude and longitude."""
    limit = MAX_VENUE_DISTANCE_KM.get(territory.kind, 60)
    if distance_km(point, territory.map_center) > limit:
        raise ValidationError(
            {
                "point": _(
                    "This place is more than %(km)d km from %(territory)s. "
                    "Check the coordinates (latitude first, then longitude)."
                )
                % {"km": limit, "territory": territory.name}
            }
        )


@transaction.atomic
def save_venue(
    *,
    provider: Provider,
    territory: Territory,
    acting_user: User,
    data: Mapping[str, Any],
    point: Point,
    venue: Venue | None = None,
) -> Venue:
    """Create or change a venue; its activities' places and accessibility follow."""
    check_venue_point(point, territory)
    if venue is None:
        venue = Venue(provider=provider)
    elif venue.provider_id != provider.pk:
        raise ValidationError(_("This venue belongs to another provider."))
    for name in VENUE_FIELDS:
        if name in data:
            setattr(venue, name, data[name])
    venue.point = point
    venue.full_clean(exclude=["provider"])
    venue.save()
    _refresh(territory, venue.activities.values_list("id", flat=True))
    return venue


@transaction.atomic
def delete_venue(*, venue: Venue, acting_user: User) -> None:
    if venue.activities.exists():
        raise ValidationError(
            _("Activities take place here. Move them to another venue before deleting it.")
        )
    venue.delete()
