"""schema.org description of an activity for search engines and aggregators: an Event
(dated activities, with an eventSchedule for weekly ones) or a Course (always open)."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity

_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# Built from plain values, so the open-data feed (tenant_apps.opendata.selectors, from
# column tuples) gives the very dicts the activity page gives.
ATTENDANCE = {
    Activity.Format.LOCAL: "https://schema.org/OfflineEventAttendanceMode",
    Activity.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Activity.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def place(
    *, name: str | None, address: str | None, latitude: float | None, longitude: float | None
) -> dict[str, Any]:
    # Optional: the feed reads a venue through a left join.
    return {
        "@type": "Place",
        "name": name,
        "address": {"@type": "PostalAddress", "streetAddress": address},
        "geo": {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude},
    }


def location(where: dict[str, Any] | None, online_url: str | None) -> Any:
    """The place, the online address, both (a list) or None."""
    virtual = {"@type": "VirtualLocation", "url": online_url} if online_url else None
    locations = [loc for loc in (where, virtual) if loc is not None]
    return locations[0] if len(locations) == 1 else locations or None


def offer(*, is_free: bool, price: Any, currency: str, url: str) -> dict[str, Any]:
    return {
        "@type": "Offer",
        "price": "0" if is_free else str(price or ""),
        "priceCurrency": currency,
        "url": url,
        "availability": "https://schema.org/InStock",
    }


def event_schedule(schedule: sched.Schedule) -> dict[str, Any]:
    """A weekly schedule as schema.org's Schedule."""
    data: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "byDay": [f"https://schema.org/{sched.SCHEMA_DAYS[d]}" for d in schedule.weekdays],
        "startDate": str(schedule.starts_on),
        "endDate": str(schedule.ends_on),
        "scheduleTimezone": schedule.timezone,
    }
    if schedule.start_time:
        data["startTime"] = schedule.start_time.strftime("%H:%M")
    if schedule.end_time:
        data["endTime"] = schedule.end_time.strftime("%H:%M")
    if schedule.exceptions:
        data["exceptDate"] = [str(d) for d in schedule.exceptions]
    return data


def _location(activity: Activity) -> Any:
    venue = activity.venue
    where = None
    if venue is not None and activity.is_local:
        where = place(
            name=venue.name,
            address=venue.address,
            latitude=venue.point.y,
            longitude=venue.point.x,
        )
    return location(where, activity.online_url if activity.is_online else None)


def activity_jsonld(
    activity: Activity, schedule: sched.Schedule, *, url: str, provider_url: str, currency: str
) -> dict[str, Any]:
    organizer = {"@type": "Organization", "name": activity.provider.name, "url": provider_url}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "name": activity.title,
        "description": activity.summary,
        "url": url,
        "inLanguage": list(activity.languages),
        "isAccessibleForFree": activity.is_free,
        "offers": offer(is_free=activity.is_free, price=activity.price, currency=currency, url=url),
        "audience": {
            "@type": "PeopleAudience",
            "suggestedMinAge": activity.age_min,
            "suggestedMaxAge": activity.age_max,
        },
    }
    if activity.interests.all():
        data["keywords"] = ", ".join(i.name for i in activity.interests.all())
    if schedule.kind == sched.OPEN:
        data.update({"@type": "Course", "provider": organizer})
        return data
    data.update(
        {
            "@type": "Event",
            "organizer": organizer,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": ATTENDANCE[Activity.Format(activity.format)],
        }
    )
    location = _location(activity)
    if location:
        data["location"] = location
    all_occurrences = sched.occurrences(schedule)
    if all_occurrences:
        first, last = all_occurrences[0], all_occurrences[-1]
        data["startDate"] = (first.starts_at or first.day).isoformat()
        end = last.ends_at or last.starts_at or last.day
        data["endDate"] = end.isoformat()
    if schedule.kind == sched.WEEKLY:
        data["eventSchedule"] = event_schedule(schedule)
    return data


def as_script(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> element, safe against "</script>" in text."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
