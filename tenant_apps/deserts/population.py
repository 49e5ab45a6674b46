"""Reading an uploaded reference population: CSV or GeoJSON, all rows checked first.

Geometries are built from the coordinates with GEOS directly and always get SRID 4326:
a user-supplied "crs" is never handed to GDAL (gis.W001).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import LinearRing, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_AREAS = 5000


@dataclass(frozen=True)
class ParsedArea:
    code: str
    name: str
    young_people: int
    point: Point | None = None
    polygon: MultiPolygon | None = None


class RowError(ValueError):
    pass


def _young_people(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise RowError(_("young people must be a whole number (0 or more)"))
    return number


def _code(value: Any) -> str:
    code = str(value or "").strip()
    if not code or len(code) > 40:
        raise RowError(_("a code of at most 40 characters is required"))
    return code


def _coordinate(value: Any, limit: float) -> float:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise RowError(_("latitude and longitude must be numbers in range")) from None
    if not -limit <= number <= limit:
        raise RowError(_("latitude and longitude must be numbers in range"))
    return number


def _read(upload: Any) -> str:
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is too large."))
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig", errors="replace")
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    return str(data)


def _collect(rows: list[tuple[int, Any]], parse: Any, label: str) -> list[ParsedArea]:
    """Parse every row, gather every row's error, raise them together."""
    if len(rows) > MAX_AREAS:
        raise ValidationError(_("The file is too large."))
    errors: list[str] = []
    areas: list[ParsedArea] = []
    seen: set[str] = set()
    for number, row in rows:
        try:
            area = parse(row)
            if area.code in seen:
                raise RowError(_("the code appears twice"))
            seen.add(area.code)
            areas.append(area)
        except RowError as error:
            errors.append(label % {"row": number, "message": error})
    if errors:
        raise ValidationError(errors[:50])
    return areas


def parse_csv(upload: Any, *, polygon_codes: set[str]) -> list[ParsedArea]:
    """Columns code, name, young_people and, unless the code matches a stored polygon,
    lat and lon of the district's centre."""
    reader = csv.DictReader(io.StringIO(_read(upload)))
    fields = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"code", "young_people"} <= fields:
        raise ValidationError(_("A CSV needs the columns code, name, young_people and lat, lon."))

    def parse(raw: dict[str, Any]) -> ParsedArea:
        row = {(key or "").strip().lower(): value for key, value in raw.items()}
        code = _code(row.get("code"))
        point = None
        if (row.get("lat") or "").strip() or (row.get("lon") or "").strip():
            point = Point(
                _coordinate(row.get("lon"), 180), _coordinate(row.get("lat"), 90), srid=4326
            )
        elif code not in polygon_codes:
            raise RowError(_("no lat, lon and no stored polygon with this code"))
        return ParsedArea(
            code=code,
            name=str(row.get("name") or "").strip()[:160],
            young_people=_young_people(row.get("young_people")),
            point=point,
        )

    # Row 1 is the header.
    return _collect(
        [(number, row) for number, row in enumerate(reader, start=2)],
        parse,
        _("Row %(row)s: %(message)s"),
    )


def _ring(coordinates: Any) -> LinearRing:
    points = [(_coordinate(p[0], 180), _coordinate(p[1], 90)) for p in coordinates]
    if len(points) < 4 or points[0] != points[-1]:
        raise RowError(_("the polygon is not valid"))
    return LinearRing(points)


def _multipolygon(geometry: Any) -> MultiPolygon:
    try:
        kind = geometry["type"]
        coordinates = geometry["coordinates"]
        if kind == "Polygon":
            coordinates = [coordinates]
        elif kind != "MultiPolygon":
            raise RowError(_("the geometry must be a Polygon or MultiPolygon"))
        polygons = [Polygon(*[_ring(ring) for ring in rings]) for rings in coordinates]
    except (KeyError, TypeError, IndexError):
        raise RowError(_("the geometry must be a Polygon or MultiPolygon")) from None
    shape = MultiPolygon(*polygons, srid=4326)
    if shape.empty or not shape.valid:
        raise RowError(_("the polygon is not valid"))
    return shape


def parse_geojson(upload: Any) -> list[ParsedArea]:
    """A FeatureCollection of (Multi)Polygons with properties code, name, young_people."""
    try:
        document = json.loads(_read(upload))
        features = document["features"]
        if document.get("type") != "FeatureCollection" or not isinstance(features, list):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValidationError(_("The file is not GeoJSON (a FeatureCollection).")) from None

    def parse(feature: Any) -> ParsedArea:
        if not isinstance(feature, dict):
            raise RowError(_("the geometry must be a Polygon or MultiPolygon"))
        properties = feature.get("properties") or {}
        return ParsedArea(
            code=_code(properties.get("code")),
            name=str(properties.get("name") or "").strip()[:160],
            young_people=_young_people(properties.get("young_people")),
            polygon=_multipolygon(feature.get("geometry")),
        )

    return _collect(
        [(number, feature) for number, feature in enumerate(features, start=1)],
        parse,
        _("Feature %(row)s: %(message)s"),
    )
