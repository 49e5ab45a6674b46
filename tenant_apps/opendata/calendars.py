"""Fetching and reading a provider's iCalendar feed, before anything is written.

The fetch is SSRF-safe: the host's addresses are resolved once, refused if any is not
a public one (loopback, private, link-local...: unless CALENDAR_ALLOW_PRIVATE_ADDRESSES,
for tests), and the connection goes to that very address (no second lookup that a
rebinding DNS could answer differently). No redirects, a timeout, a size cap.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import socket
import time
import zoneinfo
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import icalendar
import urllib3
from dateutil import rrule
from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "CitiesOfLearning-CalendarImport/1.0"
# Repeating events: sessions from a month ago to a year ahead, at most this many.
MAX_SESSIONS = 200
PAST_DAYS = 31
FUTURE_DAYS = 366


class CalendarProblem(Exception):
    """Why a calendar (or one of its events) cannot be imported, for the provider."""


def check_address(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http(s) URL whose host is public. Raises
    CalendarProblem otherwise. ``webcal://`` is read as https."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme in ("webcal", "webcals") else parts.scheme
    if scheme not in ("http", "https") or not parts.hostname:
        raise CalendarProblem(_("Give an http or https address of the calendar."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise CalendarProblem(_("Give an http or https address of the calendar.")) from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port, path


def resolve_public(host: str, port: int) -> str:
    """One address of ``host`` to connect to, if all of its addresses are public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise CalendarProblem(_("The calendar's server could not be reached.")) from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise CalendarProblem(_("The calendar's server could not be reached."))
    if not settings.CALENDAR_ALLOW_PRIVATE_ADDRESSES and not all(a.is_global for a in addresses):
        raise CalendarProblem(_("This address is not on the public internet."))
    return str(addresses[0])


def fetch(url: str) -> bytes:
    """The calendar's bytes (at most CALENDAR_MAX_BYTES), or CalendarProblem."""
    scheme, host, port, path = check_address(url)
    address = resolve_public(host, port)
    timeout = settings.CALENDAR_FETCH_TIMEOUT
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        # Connect to the checked address; TLS still checks the certificate of ``host``.
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            # None: the system's certificate authorities.
            ca_certs=settings.CALENDAR_CA_BUNDLE,
            timeout=timeout,
            retries=False,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    default_port = 443 if scheme == "https" else 80
    headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "Accept": "text/calendar, */*;q=0.5",
        "User-Agent": USER_AGENT,
    }
    limit = settings.CALENDAR_MAX_BYTES
    deadline = time.monotonic() + 3 * timeout
    try:
        response = pool.urlopen("GET", path, headers=headers, redirect=False, preload_content=False)
        try:
            if 300 <= response.status < 400:
                raise CalendarProblem(
                    _("The address redirects elsewhere: give the calendar's final address.")
                )
            if response.status != 200:
                raise CalendarProblem(
                    _("The calendar's server answered with error %(status)s.")
                    % {"status": response.status}
                )
            body = bytearray()
            for chunk in response.stream(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise CalendarProblem(
                        _("The calendar is larger than %(mb)s MB.")
                        % {"mb": round(limit / 1_000_000, 1)}
                    )
                if time.monotonic() > deadline:
                    raise CalendarProblem(_("The calendar's server is too slow."))
            return bytes(body)
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError:
        raise CalendarProblem(_("The calendar's server could not be reached.")) from None
    finally:
        pool.close()


@dataclass
class CalendarEntry:
    """One VEVENT, read into what an activity needs."""

    uid: str
    title: str
    description: str
    url: str
    cancelled: bool
    fingerprint: str
    # Dated sessions (start, end) in UTC; or, for all-day events, a date range.
    sessions: list[tuple[datetime.datetime, datetime.datetime | None]] = field(default_factory=list)
    day_range: tuple[datetime.date, datetime.date] | None = None


def _text(component: icalendar.Component, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def _aware(value: datetime.datetime, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    # A "floating" time (no TZID) is the territory's local time.
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _occurrences(
    event: icalendar.Component, start: datetime.datetime, now: datetime.datetime
) -> list[datetime.datetime]:
    rule = event.get("RRULE")
    if rule is None:
        return [start]
    rules = rule if isinstance(rule, list) else [rule]
    recurrence = rrule.rruleset()
    for item in rules:
        text = item.to_ical().decode()
        try:
            parsed = rrule.rrulestr(text, dtstart=start, ignoretz=False)
        except (ValueError, TypeError):
            raise CalendarProblem(_("Its repeat rule could not be read.")) from None
        if not isinstance(parsed, rrule.rrule):
            raise CalendarProblem(_("Its repeat rule could not be read."))
        recurrence.rrule(parsed)
    exdates = event.get("EXDATE")
    for exdate in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for value in exdate.dts:
            moment = value.dt
            if isinstance(moment, datetime.datetime):
                recurrence.exdate(_aware(moment, start.tzinfo))  # type: ignore[arg-type]
    window_start = now - datetime.timedelta(days=PAST_DAYS)
    window_end = now + datetime.timedelta(days=FUTURE_DAYS)
    found: list[datetime.datetime] = []
    for moment in recurrence.xafter(window_start, inc=True):
        if moment > window_end or len(found) >= MAX_SESSIONS:
            break
        found.append(moment)
    return found


def read_entry(
    event: icalendar.Component, tz: zoneinfo.ZoneInfo, now: datetime.datetime
) -> CalendarEntry:
    """One VEVENT, or CalendarProblem saying what is wrong with it."""
    uid = _text(event, "UID")[:255]
    if not uid:
        raise CalendarProblem(_("An event has no UID, so it cannot be kept up to date."))
    title = _text(event, "SUMMARY")[:160]
    cancelled = _text(event, "STATUS").upper() == "CANCELLED"
    if not title and not cancelled:
        raise CalendarProblem(_("The event has no title (SUMMARY)."))
    raw = event.to_ical()
    # DTSTAMP is rewritten at every export by many servers: not part of the content.
    digest_lines = [line for line in raw.splitlines() if not line.startswith(b"DTSTAMP")]
    entry = CalendarEntry(
        uid=uid,
        title=title,
        description=_text(event, "DESCRIPTION")[:20_000],
        url=_text(event, "URL")[:200],
        cancelled=cancelled,
        fingerprint=hashlib.sha256(b"\n".join(digest_lines)).hexdigest(),
    )
    if cancelled:
        return entry
    dtstart = event.get("DTSTART")
    if dtstart is None:
        raise CalendarProblem(_("The event has no start (DTSTART)."))
    start = dtstart.dt
    dtend = event.get("DTEND")
    duration = event.get("DURATION")
    if not isinstance(start, datetime.datetime):
        # An all-day event: every day from DTSTART to the day before DTEND.
        if event.get("RRULE") is not None:
            raise CalendarProblem(_("Repeating all-day events are not imported."))
        end_day = dtend.dt if dtend is not None else start + datetime.timedelta(days=1)
        if isinstance(end_day, datetime.datetime):
            end_day = end_day.date()
        entry.day_range = (start, max(start, end_day - datetime.timedelta(days=1)))
        return entry
    start = _aware(start, tz)
    length: datetime.timedelta | None = None
    if dtend is not None and isinstance(dtend.dt, datetime.datetime):
        length = _aware(dtend.dt, tz) - start
    elif duration is not None:
        length = duration.dt
    if length is not None and length <= datetime.timedelta(0):
        length = None
    for moment in _occurrences(event, start, now):
        begins = moment.astimezone(datetime.UTC)
        entry.sessions.append((begins, begins + length if length else None))
    if not entry.sessions:
        raise CalendarProblem(_("The event has no dates in the coming year."))
    return entry


def parse(
    body: bytes, *, timezone_name: str, now: datetime.datetime
) -> tuple[list[CalendarEntry], list[tuple[str, str]]]:
    """The calendar's events and the problems of those that cannot be read
    (``(uid, message)``). Raises CalendarProblem if it is not a calendar at all."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    # Any parser failure on foreign input is the file's fault, not a server error.
    except Exception:
        raise CalendarProblem(_("This is not an iCalendar (.ics) file.")) from None
    if not isinstance(calendar, icalendar.Calendar):
        raise CalendarProblem(_("This is not an iCalendar (.ics) file."))
    tz = zoneinfo.ZoneInfo(timezone_name)
    entries: list[CalendarEntry] = []
    problems: list[tuple[str, str]] = []
    for number, event in enumerate(calendar.walk("VEVENT")):
        if number >= settings.CALENDAR_MAX_EVENTS:
            problems.append(("", _("Only the first %(n)s events are imported.") % {"n": number}))
            break
        # A changed single occurrence of a repeating event: the series is what counts.
        if event.get("RECURRENCE-ID") is not None:
            continue
        try:
            entries.append(read_entry(event, tz, now))
        except CalendarProblem as problem:
            problems.append((_text(event, "UID")[:255], str(problem)))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # A malformed value (a date that is no date...) in a foreign file.
            problems.append((_text(event, "UID")[:255], _("The event could not be read.")))
    return entries, problems
