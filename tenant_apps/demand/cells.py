"""Coarse location: an H3 hexagon instead of a point.

Resolution 8 cells have an edge of ~0.46 km and an area of ~0.74 km²: enough to see
which neighbourhood searches for what, too coarse to find a home.
"""

from __future__ import annotations

import h3

RESOLUTION = 8


def cell_for(lat: float, lon: float) -> str:
    return str(h3.latlng_to_cell(lat, lon, RESOLUTION))
