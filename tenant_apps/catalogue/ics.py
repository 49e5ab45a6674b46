"""Add-to-calendar files (RFC 5545), written with the ``icalendar`` library (which
escapes, folds lines at 75 octets and formats dates as the RFC says).

Every occurrence is its own event in UTC (weekly recurrences are expanded, cancelled
days left out), so no calendar has to interpret time-zone rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import icalendar

from tenant_apps.catalogue.schedule import Occurrence

PRODID = "-//Cities of Learning//Catalogue//EN"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def calendar(
    *,
    uid_prefix: str,
    host: str,
    title: str,
    description: str,
    location: str,
    url: str,
    occurrences: Iterable[Occurrence],
    stamp: datetime.datetime,
) -> str:
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    for occurrence in occurrences:
        event = icalendar.Event()
        event.add("uid", f"{uid_prefix}-{occurrence.day:%Y%m%d}@{host}")
        event.add("dtstamp", _utc(stamp))
        if occurrence.starts_at is None:
            event.add("dtstart", occurrence.day)
            end_day = (
                occurrence.ends_at.date() if occurrence.ends_at else occurrence.day
            ) + datetime.timedelta(days=1)
            event.add("dtend", end_day)
        else:
            event.add("dtstart", _utc(occurrence.starts_at))
            ends_at = occurrence.ends_at or occurrence.starts_at + datetime.timedelta(hours=1)
            event.add("dtend", _utc(ends_at))
        event.add("summary", title)
        if description:
            event.add("description", description)
        if location:
            event.add("location", location)
        event.add("url", url)
        cal.add_component(event)
    return cal.to_ical().decode()
