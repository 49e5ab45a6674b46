"""Catalogue test data, made the way the app makes it (search columns computed by
the same indexing code), each call in the given territory's schema."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.gis.geos import Point
from django.utils.text import slugify
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from tenant_apps.catalogue import publishing
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.actions import apply_schedule
from tenant_apps.catalogue.models import Activity, Interest, Provider, ProviderStaff, Venue
from tenant_apps.catalogue.search import territory_today
from tenants.models import Territory


def make_provider(
    territory: Territory,
    name: str = "Northern Lights Youth Centre",
    *,
    status: str = Provider.Status.VERIFIED,
    trusted: bool = False,
    staff: Iterable[tuple[User, str]] = (),
    **fields: Any,
) -> Provider:
    with tenant_context(territory):
        provider = Provider.objects.create(
            name=name,
            slug=fields.pop("slug", slugify(name)),
            status=status,
            trusted=trusted,
            **fields,
        )
        for user, role in staff:
            ProviderStaff.objects.create(provider=provider, user=user, role=role)
    return provider


def make_venue(
    territory: Territory,
    provider: Provider,
    name: str = "Main hall",
    *,
    lat: float | None = None,
    lon: float | None = None,
    **fields: Any,
) -> Venue:
    centre = territory.map_center
    with tenant_context(territory):
        return Venue.objects.create(
            provider=provider,
            name=name,
            address=fields.pop("address", "Main street 1"),
            point=Point(lon if lon is not None else centre.x, lat if lat is not None else centre.y),
            **fields,
        )


def weekly(territory: Territory, **overrides: Any) -> dict[str, Any]:
    today = territory_today(territory.timezone)
    return {
        "schedule_kind": Activity.ScheduleKind.WEEKLY,
        "starts_on": today - datetime.timedelta(days=14),
        "ends_on": today + datetime.timedelta(days=120),
        "weekdays": [1, 3],
        "start_time": datetime.time(16, 0),
        "end_time": datetime.time(17, 30),
        **overrides,
    }


def make_activity(
    territory: Territory,
    provider: Provider,
    title: str = "Robotics club",
    *,
    summary: str = "Build and program robots with friends.",
    interests: Iterable[str] = ("robotics",),
    venue: Venue | None = None,
    status: str = Activity.Status.PUBLISHED,
    sessions: Iterable[sched.Session] = (),
    **fields: Any,
) -> Activity:
    """A published (by default) activity with its search columns computed."""
    data = {**weekly(territory), **fields} if "schedule_kind" not in fields else fields
    sessions = list(sessions)
    with tenant_context(territory):
        activity = Activity(
            provider=provider,
            venue=venue,
            title=title,
            summary=summary,
            status=status,
            languages=data.pop("languages", [territory.default_language]),
            **data,
        )
        if status == Activity.Status.PUBLISHED:
            activity.published_at = datetime.datetime.now(datetime.UTC)
        apply_schedule(activity, territory, sessions)
        activity.save()
        activity.interests.set(Interest.objects.filter(slug__in=list(interests)))
        for session in sessions:
            activity.sessions.create(starts_at=session.starts_at, ends_at=session.ends_at)
        publishing.refresh_activities([activity.pk], language=territory.default_language)
        activity.refresh_from_db()
    return activity
