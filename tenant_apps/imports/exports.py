"""The territory's public catalogue as CSV, in the columns the import reads back.

Under the territory's open data licence (tenant_apps.opendata: CC BY 4.0 unless its
admins chose another), stated in the response headers.

Published, public activities only; nothing personal: the providers' public email and
phone are left out (the contact to join is kept: without it a "contact us"
activity is incomplete). Text a spreadsheet would run as a formula gets a leading
apostrophe (the import removes it again).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, FloatField, Func

from tenant_apps.catalogue.models import Activity, ActivitySession, Provider, Venue
from tenant_apps.imports.readers import FORMULA_STARTS
from tenant_apps.imports.rows import ACTIVITY_FORM_FIELDS, PROVIDER_FORM_FIELDS, VENUE_FORM_FIELDS
from tenants.models import Territory

# Activities read per query (keyset on the primary key) and written per yielded piece.
CHUNK = 1000

# The import's own fields (the editor's forms), minus what is personal or separate.
ACTIVITY_COLUMNS = tuple(n for n in ACTIVITY_FORM_FIELDS if n != "interests")
PROVIDER_COLUMNS = tuple(n for n in PROVIDER_FORM_FIELDS if n not in ("email", "phone"))
VENUE_COLUMNS = tuple(n for n in VENUE_FORM_FIELDS if n not in ("latitude", "longitude"))
HEADER = (
    "external_id",
    "status",
    *ACTIVITY_COLUMNS,
    "interests",
    "sessions",
    "provider_external_id",
    *(f"provider_{c}" for c in PROVIDER_COLUMNS),
    *(f"venue_{c}" for c in VENUE_COLUMNS),
    "venue_latitude",
    "venue_longitude",
)


def safe_cell(value: Any) -> str:
    """A cell's text, neutralised against spreadsheet formula injection.

    The definition of every cell of the file; ``activity_rows`` reaches the same text
    per column without calling it (tests/tenant_apps/imports/test_exports.py compares
    the two on a whole catalogue)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    items = value if isinstance(value, list | tuple) else [value]
    text = ", ".join(_plain(v) for v in items)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _plain(value: Any) -> str:
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


_Convert = Callable[[Any], str]
_YES_NO: dict[bool | None, str] = {True: "yes", False: "no", None: ""}


def _nullable(convert: _Convert) -> _Convert:
    return lambda value: "" if value is None else convert(value)


def _hh_mm(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _listed(convert: _Convert) -> _Convert:
    # safe_cell's ", ".join(_plain(item)): an element that is None prints "None" there too.
    return lambda items: "" if items is None else ", ".join(map(convert, items))


def _convert(field: models.Field[Any, Any]) -> _Convert:
    """``safe_cell``'s text for a value of ``field``, before the formula check, by the
    field's type: one conversion chosen per column instead of isinstance tests per cell
    (~470,000 calls for 10,000 activities)."""
    if isinstance(field, ArrayField):
        base = field.base_field
        if isinstance(base, models.CharField | models.TextField | models.IntegerField):
            return _listed(str)
        return _listed(_plain)
    if isinstance(field, models.BooleanField):
        return _YES_NO.__getitem__
    if isinstance(field, models.TimeField):
        convert: _Convert = _hh_mm
    elif isinstance(field, models.DateTimeField):
        convert = _plain  # a datetime is a date: isoformat, as _plain gives it
    elif isinstance(field, models.DateField):
        convert = datetime.date.isoformat
    elif isinstance(field, models.CharField | models.TextField | models.IntegerField):
        convert = str  # a str stays itself; an int prints as _plain prints it
    else:
        convert = _plain
    return _nullable(convert) if field.null else convert


def _converters(model: type[models.Model], names: tuple[str, ...]) -> list[_Convert]:
    found = []
    for name in names:
        field = model._meta.get_field(name)
        # The exported columns are the forms' fields: concrete columns of the model.
        if not isinstance(field, models.Field):
            raise TypeError(f"{model.__name__}.{name} is not a column")
        found.append(_convert(field))
    return found


_ACTIVITY_CONVERT = _converters(Activity, ("status", *ACTIVITY_COLUMNS))
_PROVIDER_CONVERT = _converters(Provider, PROVIDER_COLUMNS)


def _coordinate(value: float) -> str:
    # As the model path printed round(venue.point.y, 6).
    return str(round(value, 6))


_VENUE_CONVERT = [*_converters(Venue, VENUE_COLUMNS), _coordinate, _coordinate]
_NO_VENUE = [""] * (len(VENUE_COLUMNS) + 2)
_LOCAL = frozenset((Activity.Format.LOCAL.value, Activity.Format.HYBRID.value))

# What a row reads: the activity's own columns, its provider's and its venue's (joined,
# no model instances), the venue's stored coordinates as numbers (ST_Y/ST_X: the
# doubles GEOS reads from the point, without building a geometry per row).
_ACTIVITY_AT = 3  # pk, external_id, provider__slug, then status and ACTIVITY_COLUMNS
_PROVIDER_AT = _ACTIVITY_AT + 1 + len(ACTIVITY_COLUMNS) + 1  # after provider__external_id
_VENUE_AT = _PROVIDER_AT + len(PROVIDER_COLUMNS) + 1  # after venue_id
_FORMAT_AT = _ACTIVITY_AT + 1 + ACTIVITY_COLUMNS.index("format")


def _read() -> models.QuerySet[Activity, tuple[Any, ...]]:
    return Activity.objects.filter(is_public=True).values_list(
        "pk",
        "external_id",
        "provider__slug",
        "status",
        *ACTIVITY_COLUMNS,
        "provider__external_id",
        *(f"provider__{c}" for c in PROVIDER_COLUMNS),
        "venue_id",
        *(f"venue__{c}" for c in VENUE_COLUMNS),
        Func(F("venue__point"), function="ST_Y", output_field=FloatField()),
        Func(F("venue__point"), function="ST_X", output_field=FloatField()),
    )


# Interests and sessions are read for the chunk's id range (first to last id, public
# ones only): two bounds instead of a thousand-id IN list to build and send.


def _interests(first: int, last: int) -> dict[int, str]:
    """Each activity's interest slugs in the taxonomy's order (Interest.Meta.ordering,
    as the prefetch gave them), one query for the chunk."""
    found: dict[int, list[str]] = {}
    for activity_id, slug in (
        Activity.interests.through.objects.filter(
            activity_id__gte=first, activity_id__lte=last, activity__is_public=True
        )
        .order_by("interest__position", "interest__slug")
        .values_list("activity_id", "interest__slug")
    ):
        found.setdefault(activity_id, []).append(slug)
    return {pk: ", ".join(slugs) for pk, slugs in found.items()}


def _sessions(first: int, last: int, tz: ZoneInfo) -> dict[int, str]:
    """Each activity's sessions ("2026-05-01 15:00-16:30; ..."), one query for the chunk."""
    found: dict[int, list[str]] = {}
    for activity_id, starts_at, ends_at in (
        ActivitySession.objects.filter(
            activity_id__gte=first, activity_id__lte=last, activity__is_public=True
        )
        .order_by("starts_at", "pk")
        .values_list("activity_id", "starts_at", "ends_at")
    ):
        found.setdefault(activity_id, []).append(
            f"{starts_at.astimezone(tz):%Y-%m-%d %H:%M}"
            + (f"-{ends_at.astimezone(tz):%H:%M}" if ends_at else "")
        )
    return {pk: "; ".join(texts) for pk, texts in found.items()}


def _chunks() -> Iterator[list[tuple[Any, ...]]]:
    """The public activities by id, CHUNK at a time (keyset: an index range scan from
    the last id, never OFFSET; the last chunk is known by being short)."""
    after = 0
    while True:
        rows = list(_read().filter(pk__gt=after).order_by("pk")[:CHUNK])
        if rows:
            yield rows
        if len(rows) < CHUNK:
            return
        after = rows[-1][0]


def activity_rows(territory: Territory) -> Iterator[list[str]]:
    """Each published activity's cells, in HEADER's order, three queries per CHUNK
    activities (the rows, their interests, their sessions)."""
    tz = ZoneInfo(territory.timezone)
    local_id = f"{territory.slug}:"
    activity_end = _ACTIVITY_AT + len(_ACTIVITY_CONVERT)
    provider_end = _PROVIDER_AT + len(_PROVIDER_CONVERT)
    venue_end = _VENUE_AT + len(_VENUE_CONVERT)
    starts = FORMULA_STARTS
    for rows in _chunks():
        first, last = rows[0][0], rows[-1][0]
        interests, sessions = _interests(first, last), _sessions(first, last, tz)
        for row in rows:
            pk = row[0]
            cells = [
                row[1] or f"{local_id}{pk}",
                *[
                    c(v)
                    for c, v in zip(_ACTIVITY_CONVERT, row[_ACTIVITY_AT:activity_end], strict=True)
                ],
                interests.get(pk, ""),
                sessions.get(pk, ""),
                row[_PROVIDER_AT - 1] or f"{local_id}{row[2]}",
                *[
                    c(v)
                    for c, v in zip(_PROVIDER_CONVERT, row[_PROVIDER_AT:provider_end], strict=True)
                ],
            ]
            if row[_VENUE_AT - 1] is None or row[_FORMAT_AT] not in _LOCAL:
                cells += _NO_VENUE
            else:
                cells += [
                    c(v) for c, v in zip(_VENUE_CONVERT, row[_VENUE_AT:venue_end], strict=True)
                ]
            # safe_cell's formula check, on every cell (text, and numbers that may be
            # negative: a price, a coordinate west of Greenwich).
            yield [("'" + cell) if cell.startswith(starts) else cell for cell in cells]


def csv_lines(territory: Territory) -> Iterator[str]:
    """The CSV, a chunk of rows at a time (streamed: a large catalogue is never held
    whole; one piece per CHUNK rows, not one tiny write per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for written, row in enumerate(activity_rows(territory), 1):
        writer.writerow(row)
        if written % CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
