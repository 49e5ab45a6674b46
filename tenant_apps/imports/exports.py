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
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from tenant_apps.catalogue.models import Activity
from tenant_apps.imports.readers import FORMULA_STARTS
from tenant_apps.imports.rows import ACTIVITY_FORM_FIELDS, PROVIDER_FORM_FIELDS, VENUE_FORM_FIELDS
from tenants.models import Territory

CHUNK = 2000

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
    """A cell's text, neutralised against spreadsheet formula injection."""
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


def _external_id(territory: Territory, obj: Any, local: str) -> str:
    return obj.external_id or f"{territory.slug}:{local}"


def activity_rows(territory: Territory) -> Iterator[list[str]]:
    tz = ZoneInfo(territory.timezone)
    activities = (
        Activity.objects.filter(is_public=True)
        .select_related("provider", "venue")
        .prefetch_related("interests", "sessions")
        .order_by("pk")
    )
    for activity in activities.iterator(chunk_size=CHUNK):
        provider, venue = activity.provider, activity.venue if activity.is_local else None
        sessions = "; ".join(
            f"{s.starts_at.astimezone(tz):%Y-%m-%d %H:%M}"
            + (f"-{s.ends_at.astimezone(tz):%H:%M}" if s.ends_at else "")
            for s in activity.sessions.all()
        )
        row: list[Any] = [
            _external_id(territory, activity, str(activity.pk)),
            activity.status,
            *(getattr(activity, c) for c in ACTIVITY_COLUMNS),
            [i.slug for i in activity.interests.all()],
            sessions,
            _external_id(territory, provider, provider.slug),
            *(getattr(provider, c) for c in PROVIDER_COLUMNS),
        ]
        if venue is None:
            row += [None] * (len(VENUE_COLUMNS) + 2)
        else:
            row += [getattr(venue, c) for c in VENUE_COLUMNS]
            row += [round(venue.point.y, 6), round(venue.point.x, 6)]
        yield [safe_cell(v) for v in row]


def csv_lines(territory: Territory) -> Iterator[str]:
    """The CSV, line by line (streamed: a large catalogue is never held whole)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(HEADER)
    yield flush()
    for row in activity_rows(territory):
        writer.writerow(row)
        yield flush()
