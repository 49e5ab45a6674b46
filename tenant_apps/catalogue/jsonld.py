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


def _place(activity: Activity) -> dict[str, Any] | None:
    venue = activity.venue
    if venue is None or not activity.is_local:
        return None
    return {
        "@type": "Place",
        "name": venue.name,
        "address": {"@type": "PostalAddress", "streetAddress": venue.address},
        "geo": {"@type": "GeoCoordinates", "latitude": venue.point.y, "longitude": venue.point.x},
    }


def _location(activity: Activity) -> Any:
    place = _place(activity)
    virtual = (
        {"@type": "VirtualLocation", "url": activity.online_url}
        if activity.is_online and activity.online_url
        else None
    )
    locations = [loc for loc in (place, virtual) if loc is not None]
    return locations[0] if len(locations) == 1 else locations or None


def _offer(activity: Activity, currency: str, url: str) -> dict[str, Any]:
    return {
        "@type": "Offer",
        "price": "0" if activity.is_free else str(activity.price or ""),
        "priceCurrency": currency,
        "url": url,
        "availability": "https://schema.org/InStock",
    }


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
        "offers": _offer(activity, currency, url),
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
    attendance = {
        Activity.Format.LOCAL: "OfflineEventAttendanceMode",
        Activity.Format.ONLINE: "OnlineEventAttendanceMode",
        Activity.Format.HYBRID: "MixedEventAttendanceMode",
    }[Activity.Format(activity.format)]
    data.update(
        {
            "@type": "Event",
            "organizer": organizer,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": f"https://schema.org/{attendance}",
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
        event_schedule: dict[str, Any] = {
            "@type": "Schedule",
            "repeatFrequency": "P1W",
            "byDay": [f"https://schema.org/{sched.SCHEMA_DAYS[d]}" for d in schedule.weekdays],
            "startDate": str(schedule.starts_on),
            "endDate": str(schedule.ends_on),
            "scheduleTimezone": schedule.timezone,
        }
        if schedule.start_time:
            event_schedule["startTime"] = schedule.start_time.strftime("%H:%M")
        if schedule.end_time:
            event_schedule["endTime"] = schedule.end_time.strftime("%H:%M")
        if schedule.exceptions:
            event_schedule["exceptDate"] = [str(d) for d in schedule.exceptions]
        data["eventSchedule"] = event_schedule
    return data


def as_script(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> element, safe against "</script>" in text."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
