"""Reads of the open data feeds (inside the territory's schema). Only public
activities (published, by a verified provider) are ever described; nothing about a
person (no contacts, no staff, no learners) is in any of it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, FloatField, Func, Q, QuerySet
from django.urls import reverse
from django.utils import translation

from shared_apps.core.hosts import territory_url
from tenant_apps.catalogue import jsonld
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity, ActivitySession, Interest
from tenant_apps.opendata.models import LICENCES, FeedEntry, Publication
from tenants.models import Territory


@dataclass(frozen=True)
class Licence:
    code: str
    name: str
    url: str


def licence() -> Licence:
    """The territory's licence for its open data (the platform's default until its
    admins choose)."""
    chosen = Publication.objects.order_by("pk").values_list("licence", flat=True).first()
    code = chosen if chosen in LICENCES else settings.OPEN_DATA_LICENCE
    name, url = LICENCES[code]
    return Licence(code=code, name=name, url=url)


# What a feed item reads of an activity: its own columns, its provider's and venue's
# (no search vectors, index arrays, descriptions or editor drafts, which a whole row
# would drag along), as tuples: no model instance is built per item.
_COLUMNS = (
    "pk",
    "title",
    "summary",
    "languages",
    "is_free",
    "price",
    "age_min",
    "age_max",
    "format",
    "online_url",
    "schedule_kind",
    "starts_on",
    "ends_on",
    "weekdays",
    "start_time",
    "end_time",
    "exceptions",
    "provider__name",
    "provider__slug",
    "venue_id",
    "venue__name",
    "venue__address",
    "venue_lon",
    "venue_lat",
)


class FeedRow(NamedTuple):
    pk: int
    title: str
    summary: str
    languages: list[str]
    is_free: bool
    price: Decimal | None
    age_min: int
    age_max: int
    format: str
    online_url: str
    schedule_kind: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    weekdays: list[int] | None
    start_time: datetime.time | None
    end_time: datetime.time | None
    exceptions: list[datetime.date] | None
    provider_name: str
    provider_slug: str
    venue_id: int | None
    venue_name: str | None
    venue_address: str | None
    venue_lon: float | None
    venue_lat: float | None


def _public_rows() -> QuerySet[Activity, tuple[Any, ...]]:
    return Activity.objects.filter(is_public=True).values_list(
        *_COLUMNS[:-2],
        # The stored coordinates themselves (float8, printed exactly): the same numbers
        # GEOS reads from the point, without building a geometry per item.
        Func(F("venue__point"), function="ST_X", output_field=FloatField()),
        Func(F("venue__point"), function="ST_Y", output_field=FloatField()),
    )


@dataclass(frozen=True)
class FeedContext:
    """What every item of a page shares, worked out once per page (URL prefixes, time
    zone, currency, the language interest names are given in)."""

    timezone: str
    currency: str
    language: str
    activity_url: tuple[str, str]
    provider_url: tuple[str, str]

    @classmethod
    def of(cls, territory: Territory) -> FeedContext:
        return cls(
            timezone=territory.timezone,
            currency=territory.currency,
            language=translation.get_language() or "en",
            activity_url=_url_around(territory, "catalogue:activity", 0),
            provider_url=_url_around(territory, "catalogue:provider", "slug-0"),
        )


def _url_around(territory: Territory, name: str, marker: int | str) -> tuple[str, str]:
    """The territory URL of ``name`` split around its one argument (reversed once per
    page: reverse() per item was ~7% of a page's CPU)."""
    url = territory_url(territory, reverse(name, args=[marker]))
    head, tail = url.rsplit(f"/{marker}/", 1)
    return f"{head}/", f"/{tail}"


_LOCAL = (Activity.Format.LOCAL, Activity.Format.HYBRID)
_ONLINE = (Activity.Format.ONLINE, Activity.Format.HYBRID)


def _schedule(row: FeedRow, ctx: FeedContext, sessions: list[sched.Session]) -> sched.Schedule:
    # As Activity.schedule builds it.
    return sched.Schedule(
        kind=row.schedule_kind,
        timezone=ctx.timezone,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        weekdays=tuple(row.weekdays or ()),
        start_time=row.start_time,
        end_time=row.end_time,
        exceptions=tuple(row.exceptions or ()),
        sessions=tuple(sessions),
    )


def _at(day: datetime.date, time: datetime.time | None, tz: ZoneInfo) -> datetime.datetime | None:
    # As the schedule's occurrences are timed: the day's wall-clock time in the zone.
    return None if time is None else datetime.datetime.combine(day, time, tzinfo=tz)


def _dates(schedule: sched.Schedule) -> tuple[str, str] | None:
    """startDate and endDate as jsonld.activity_jsonld gives them (first and last
    occurrence), without building an Occurrence for every week of a season."""
    if schedule.kind == sched.WEEKLY:
        days = sched.occurrence_days(schedule) or []
        if not days:
            return None
        tz = schedule.tz
        first, last = days[0], days[-1]
        start = _at(first, schedule.start_time, tz)
        end = _at(last, schedule.end_time, tz) or _at(last, schedule.start_time, tz)
        return (start or first).isoformat(), (end or last).isoformat()
    found = sched.occurrences(schedule)
    if not found:
        return None
    head, tail = found[0], found[-1]
    return (
        (head.starts_at or head.day).isoformat(),
        (tail.ends_at or tail.starts_at or tail.day).isoformat(),
    )


def describe_row(
    row: FeedRow, ctx: FeedContext, *, keywords: list[str], sessions: list[sched.Session]
) -> dict[str, Any]:
    """The activity as schema.org JSON-LD: the same dict as its page's
    (jsonld.activity_jsonld; tests/tenant_apps/opendata/test_feed_items.py compares
    them), without ``@context`` (the feed gives it once), with a stable
    ``identifier``. Built from a row, not a model instance."""
    url = f"{ctx.activity_url[0]}{row.pk}{ctx.activity_url[1]}"
    organizer = {
        "@type": "Organization",
        "name": row.provider_name,
        "url": f"{ctx.provider_url[0]}{row.provider_slug}{ctx.provider_url[1]}",
    }
    data: dict[str, Any] = {
        "name": row.title,
        "description": row.summary,
        "url": url,
        "inLanguage": list(row.languages),
        "isAccessibleForFree": row.is_free,
        "offers": jsonld.offer(
            is_free=row.is_free, price=row.price, currency=ctx.currency, url=url
        ),
        "audience": {
            "@type": "PeopleAudience",
            "suggestedMinAge": row.age_min,
            "suggestedMaxAge": row.age_max,
        },
    }
    if keywords:
        data["keywords"] = ", ".join(keywords)
    if row.schedule_kind == sched.OPEN:
        data["@type"] = "Course"
        data["provider"] = organizer
        data["identifier"] = str(row.pk)
        return data
    data["@type"] = "Event"
    data["organizer"] = organizer
    data["eventStatus"] = "https://schema.org/EventScheduled"
    data["eventAttendanceMode"] = jsonld.ATTENDANCE[Activity.Format(row.format)]
    place = None
    if row.venue_id is not None and row.format in _LOCAL:
        place = jsonld.place(
            name=row.venue_name,
            address=row.venue_address,
            latitude=row.venue_lat,
            longitude=row.venue_lon,
        )
    location = jsonld.location(place, row.online_url if row.format in _ONLINE else None)
    if location is not None:
        data["location"] = location
    schedule = _schedule(row, ctx, sessions)
    dates = _dates(schedule)
    if dates is not None:
        data["startDate"], data["endDate"] = dates
    if schedule.kind == sched.WEEKLY:
        data["eventSchedule"] = jsonld.event_schedule(schedule)
    data["identifier"] = str(row.pk)
    return data


def describe_rows(rows: list[FeedRow], territory: Territory) -> dict[int, dict[str, Any]]:
    """Each row's JSON-LD by id, with two more queries for the whole page: interest
    names (in the active language, in the taxonomy's order) and the sessions of
    activities with single sessions."""
    ctx = FeedContext.of(territory)
    ids = [row.pk for row in rows]
    keywords: dict[int, list[str]] = {pk: [] for pk in ids}
    if ids:
        links = (
            Activity.interests.through.objects.filter(activity_id__in=ids)
            # The taxonomy's own order (Interest.Meta.ordering), as the prefetch gave.
            .order_by("interest__position", "interest__slug")
            .values_list("activity_id", "interest__names", "interest__slug")
        )
        names: dict[tuple[str, str], str] = {}
        for activity_id, interest_names, slug in links:
            key = (slug, ctx.language)
            if key not in names:
                names[key] = Interest(slug=slug, names=interest_names).name_in(ctx.language)
            keywords[activity_id].append(names[key])
    dated = [row.pk for row in rows if row.schedule_kind == sched.SESSIONS]
    sessions: dict[int, list[sched.Session]] = {pk: [] for pk in dated}
    if dated:
        for activity_id, starts_at, ends_at in (
            ActivitySession.objects.filter(activity_id__in=dated)
            .order_by("starts_at", "pk")
            .values_list("activity_id", "starts_at", "ends_at")
        ):
            sessions[activity_id].append(sched.Session(starts_at, ends_at))
    return {
        row.pk: describe_row(row, ctx, keywords=keywords[row.pk], sessions=sessions.get(row.pk, []))
        for row in rows
    }


def catalogue_page(*, after_id: int, size: int) -> list[FeedRow]:
    """The next ``size`` public activities by id after ``after_id`` (keyset paging:
    an index range scan of the primary key, the same cost on the last page as on the
    first)."""
    return [FeedRow(*t) for t in _public_rows().filter(pk__gt=after_id).order_by("pk")[:size]]


@dataclass(frozen=True)
class ChangeItem:
    activity_id: int
    state: str
    kind: str
    modified: int
    # The activity's JSON-LD; None for a deleted item, or an updated one no longer
    # public when read.
    data: dict[str, Any] | None


def changes_page(
    *, after_modified: int, after_id: int, size: int, territory: Territory
) -> list[ChangeItem]:
    """The next ``size`` entries of the changes feed, ordered by (modified, id)."""
    # modified >= after_modified bounds the index scan from below (the OR alone is
    # not an index condition); the OR keeps the exact (modified, id) order.
    entries = list(
        FeedEntry.objects.filter(modified__gte=after_modified)
        .filter(
            Q(modified__gt=after_modified) | Q(modified=after_modified, activity_id__gt=after_id)
        )
        .order_by("modified", "activity_id")
        .values_list("activity_id", "state", "kind", "modified")[:size]
    )
    wanted = [pk for pk, state, _kind, _modified in entries if state == FeedEntry.State.UPDATED]
    rows = [FeedRow(*t) for t in _public_rows().filter(pk__in=wanted)] if wanted else []
    described = describe_rows(rows, territory)
    items = []
    for pk, state, kind, modified in entries:
        data = described.get(pk) if state == FeedEntry.State.UPDATED else None
        # Updated but no longer public when read: a tombstone until its own entry comes.
        shown = FeedEntry.State.UPDATED if data is not None else FeedEntry.State.DELETED
        items.append(
            ChangeItem(activity_id=pk, state=shown, kind=kind, modified=modified, data=data)
        )
    return items
