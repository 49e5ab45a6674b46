"""Add-to-calendar files (RFC 5545), written by hand: a few lines, no dependency.

Every occurrence is its own event in UTC (weekly recurrences are expanded, cancelled
days left out), so no calendar has to interpret time-zone rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from tenant_apps.catalogue.schedule import Occurrence

PRODID = "-//Cities of Learning//Catalogue//EN"


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


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
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for occurrence in occurrences:
        lines += ["BEGIN:VEVENT", f"UID:{uid_prefix}-{occurrence.day:%Y%m%d}@{host}"]
        lines.append(f"DTSTAMP:{_utc(stamp)}")
        if occurrence.starts_at is None:
            lines.append(f"DTSTART;VALUE=DATE:{occurrence.day:%Y%m%d}")
            end_day = (
                occurrence.ends_at.date() if occurrence.ends_at else occurrence.day
            ) + datetime.timedelta(days=1)
            lines.append(f"DTEND;VALUE=DATE:{end_day:%Y%m%d}")
        else:
            lines.append(f"DTSTART:{_utc(occurrence.starts_at)}")
            ends_at = occurrence.ends_at or occurrence.starts_at + datetime.timedelta(hours=1)
            lines.append(f"DTEND:{_utc(ends_at)}")
        lines.append(f"SUMMARY:{escape_text(title)}")
        if description:
            lines.append(f"DESCRIPTION:{escape_text(description)}")
        if location:
            lines.append(f"LOCATION:{escape_text(location)}")
        lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
