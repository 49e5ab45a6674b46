"""When an activity takes place: single sessions, a weekly recurrence with exceptions,
a date range, or always open.

Pure functions over a small value object, so the same rules serve the form checks,
the activity page, the .ics file, the JSON-LD and the search index.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY as rrule_weekly
from dateutil.rrule import rrule
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

SESSIONS = "sessions"
WEEKLY = "weekly"
RANGE = "range"
OPEN = "open"

# A weekly recurrence runs for a season at most: longer ones become stale listings.
MAX_WEEKLY_SPAN_DAYS = 400
MAX_SESSIONS = 200
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Session:
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Schedule:
    kind: str
    timezone: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    weekdays: Sequence[int] = ()  # 0 = Monday
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    exceptions: Sequence[datetime.date] = ()
    sessions: Sequence[Session] = field(default_factory=tuple)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Occurrence:
    """One time the activity takes place. ``all_day`` when there is no time of day."""

    day: datetime.date
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None

    @property
    def all_day(self) -> bool:
        return self.starts_at is None


class ScheduleError(ValueError):
    """The schedule is incomplete or contradictory; ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def validate(schedule: Schedule, *, complete: bool = True) -> None:
    """Raise ScheduleError when the schedule is contradictory or, when ``complete``,
    when something needed to show and search it is missing (drafts may lack it)."""
    if schedule.kind == OPEN:
        return
    if schedule.kind == SESSIONS:
        if not schedule.sessions and complete:
            raise ScheduleError("sessions", _("Add at least one session."))
        if len(schedule.sessions) > MAX_SESSIONS:
            message = _("At most %(n)d sessions; use a weekly schedule.") % {"n": MAX_SESSIONS}
            raise ScheduleError("sessions", message)
        for session in schedule.sessions:
            if session.ends_at is not None and session.ends_at <= session.starts_at:
                raise ScheduleError("sessions", _("A session ends before it starts."))
        return
    if complete and schedule.starts_on is None:
        raise ScheduleError("starts_on", _("Give the first day."))
    if complete and schedule.ends_on is None:
        raise ScheduleError("ends_on", _("Give the last day."))
    first, last = schedule.starts_on, schedule.ends_on
    if first is not None and last is not None:
        if last < first:
            raise ScheduleError("ends_on", _("The last day is before the first day."))
        if schedule.kind == WEEKLY and (last - first).days > MAX_WEEKLY_SPAN_DAYS:
            raise ScheduleError(
                "ends_on",
                _("A weekly schedule can run for %(n)d days at most; add the next season later.")
                % {"n": MAX_WEEKLY_SPAN_DAYS},
            )
    if schedule.kind == WEEKLY and complete:
        if not schedule.weekdays:
            raise ScheduleError("weekdays", _("Choose at least one day of the week."))
        if schedule.start_time is None:
            raise ScheduleError("start_time", _("Give the time it starts."))
    if (
        schedule.start_time is not None
        and schedule.end_time is not None
        and schedule.end_time <= schedule.start_time
    ):
        raise ScheduleError("end_time", _("It ends before it starts."))


def _span(schedule: Schedule) -> tuple[datetime.date, datetime.date]:
    if schedule.starts_on is None or schedule.ends_on is None:
        raise ScheduleError("starts_on", _("Give the first and the last day."))
    return schedule.starts_on, schedule.ends_on


def _midnight(day: datetime.date) -> datetime.datetime:
    # rrule works on naive datetimes; days are calendar days of the territory.
    return datetime.datetime.combine(day, datetime.time())


def _weekly_days(schedule: Schedule) -> list[datetime.date]:
    """The recurrence expanded by python-dateutil's RFC 5545 rules (the same RRULE the
    .ics file publishes), minus the exceptions. Bounded: a weekly schedule spans at
    most MAX_WEEKLY_SPAN_DAYS (validate)."""
    first, last = _span(schedule)
    if not schedule.weekdays:
        # An empty BYDAY would mean "the first day's weekday" to rrule.
        return []
    weekdays = tuple(sorted(set(schedule.weekdays)))
    if (last - first).days <= MAX_WEEKLY_SPAN_DAYS:
        # The longest season from this first day, cut at the last: a weekly rule
        # until a day is the start of the same rule until a later day. An import's
        # rows share first days far more often than (first, last) pairs.
        season = _expand_weekly(
            first, first + datetime.timedelta(days=MAX_WEEKLY_SPAN_DAYS), weekdays
        )
        days = season[: bisect.bisect_right(season, last)]
    else:
        days = _expand_weekly(first, last, weekdays)
    if not schedule.exceptions:
        return list(days)
    skipped = set(schedule.exceptions)
    return [day for day in days if day not in skipped]


@functools.lru_cache(maxsize=4096)
def _expand_weekly(
    first: datetime.date, last: datetime.date, weekdays: tuple[int, ...]
) -> tuple[datetime.date, ...]:
    # Cached: an import of a city's catalogue repeats the same few hundred schedules
    # over tens of thousands of rows, and rrule's expansion was a fifth of its time.
    # Pure (dates in, dates out), so a cached answer is the same answer.
    rule = rrule(
        rrule_weekly,
        dtstart=_midnight(first),
        until=_midnight(last),
        byweekday=weekdays,  # 0 = Monday, as in dateutil
    )
    return tuple(moment.date() for moment in rule)


def occurrence_days(schedule: Schedule) -> list[datetime.date] | None:
    """Every day it takes place, in order; None when it is always open."""
    if schedule.kind == OPEN:
        return None
    if schedule.kind == SESSIONS:
        tz = schedule.tz
        return sorted({s.starts_at.astimezone(tz).date() for s in schedule.sessions})
    if schedule.kind == WEEKLY:
        return _weekly_days(schedule)
    first, last = _span(schedule)
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class IndexColumns:
    """What the search index stores about a schedule."""

    days: list[datetime.date]
    first: datetime.date | None
    last: datetime.date | None
    next: datetime.date | None


def index_columns(
    schedule: Schedule, today: datetime.date, *, open_end: datetime.date
) -> IndexColumns:
    """Days with a session (weekly, sessions), first and last day (``open_end`` for
    always-open activities) and the next day on or after ``today``."""
    if schedule.kind == OPEN:
        return IndexColumns([], None, open_end, None)
    if schedule.kind == RANGE:
        first, last = _span(schedule)
        return IndexColumns([], first, last, max(first, today) if last >= today else None)
    days = occurrence_days(schedule) or []
    upcoming = [day for day in days if day >= today]
    if not days:
        return IndexColumns([], schedule.starts_on, schedule.ends_on, None)
    return IndexColumns(days, days[0], days[-1], upcoming[0] if upcoming else None)


def bounds(schedule: Schedule) -> tuple[datetime.date | None, datetime.date | None]:
    days = occurrence_days(schedule)
    if days is None:
        return None, None
    if not days:
        return schedule.starts_on, schedule.ends_on
    return days[0], days[-1]


def _at(day: datetime.date, time: datetime.time | None, tz: ZoneInfo) -> datetime.datetime | None:
    return None if time is None else datetime.datetime.combine(day, time, tzinfo=tz)


def occurrences(
    schedule: Schedule, *, start: datetime.date | None = None, limit: int | None = None
) -> list[Occurrence]:
    """Occurrences on or after ``start`` (all if None), at most ``limit``. Always-open
    activities have none; a date range is one all-day (or daily-hours) occurrence."""
    tz = schedule.tz
    found: list[Occurrence] = []
    if schedule.kind == OPEN:
        return found
    if schedule.kind == SESSIONS:
        for session in sorted(schedule.sessions, key=lambda s: s.starts_at):
            day = session.starts_at.astimezone(tz).date()
            if start is None or day >= start:
                found.append(Occurrence(day, session.starts_at, session.ends_at))
    elif schedule.kind == WEEKLY:
        for day in _weekly_days(schedule):
            if start is None or day >= start:
                found.append(
                    Occurrence(
                        day, _at(day, schedule.start_time, tz), _at(day, schedule.end_time, tz)
                    )
                )
                if limit is not None and len(found) >= limit:
                    break
    else:
        first, last = _span(schedule)
        if start is None or last >= start:
            found.append(
                Occurrence(
                    first, _at(first, schedule.start_time, tz), _at(last, schedule.end_time, tz)
                )
            )
    return found[:limit] if limit is not None else found


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _time(time: datetime.time | None) -> str:
    return "" if time is None else formats.time_format(time, "TIME_FORMAT")


def _hours(start: datetime.time | None, end: datetime.time | None) -> str:
    if start is None:
        return ""
    return f"{_time(start)}–{_time(end)}" if end is not None else _time(start)  # noqa: RUF001


# A recurring weekday as its own phrase, so each language uses its own grammatical
# form ("pirmadieniais", "montags", "le lundi", "maanantaisin") instead of a weekday
# name dropped into "Every %s" (which gave "Kiekvieną Pirmadienis" in Lithuanian).
RECURRING_WEEKDAYS = (
    pgettext_lazy("recurring weekday", "Mondays"),
    pgettext_lazy("recurring weekday", "Tuesdays"),
    pgettext_lazy("recurring weekday", "Wednesdays"),
    pgettext_lazy("recurring weekday", "Thursdays"),
    pgettext_lazy("recurring weekday", "Fridays"),
    pgettext_lazy("recurring weekday", "Saturdays"),
    pgettext_lazy("recurring weekday", "Sundays"),
)


def weekday_names(weekdays: Iterable[int]) -> str:
    return ", ".join(str(RECURRING_WEEKDAYS[d]) for d in sorted(set(weekdays)))


def describe(schedule: Schedule) -> str:
    """One sentence in the active language, e.g. "Tuesdays, Thursdays, 4 p.m.-5:30 p.m.,
    from 1 September 2026 to 20 December 2026, except 1 November 2026"."""
    if schedule.kind == OPEN:
        return _("Open all year: join whenever you like.")
    if schedule.kind == SESSIONS:
        count = len(schedule.sessions)
        first, last = bounds(schedule)
        if count == 1 and first is not None:
            return _date(first)
        return _("%(count)d sessions, %(first)s – %(last)s") % {  # noqa: RUF001
            "count": count,
            "first": _date(first) if first else "",
            "last": _date(last) if last else "",
        }
    first, last = _span(schedule)
    hours = _hours(schedule.start_time, schedule.end_time)
    if schedule.kind == WEEKLY:
        values = {
            "days": weekday_names(schedule.weekdays),
            "hours": hours,
            "first": _date(first),
            "last": _date(last),
        }
        if hours:
            text = _("%(days)s, %(hours)s, from %(first)s to %(last)s") % values
        else:
            text = _("%(days)s, from %(first)s to %(last)s") % values
        text = capfirst(text)
        if schedule.exceptions:
            text += ", " + _("except %(days)s") % {
                "days": ", ".join(_date(d) for d in sorted(schedule.exceptions))
            }
        return text
    text = _("From %(first)s to %(last)s") % {"first": _date(first), "last": _date(last)}
    return f"{text}, {hours}" if hours else text
