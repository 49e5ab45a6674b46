"""The catalogue's parts of the territory site's frame: menu entries, admin links and
the home page's "map" and "activities" sections.

The sections' data is cached per territory (cache keys carry the schema name) and
dropped whenever an activity's public state changes, so the home page stays at a
constant, usually zero, number of queries.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from shared_apps.core.navigation import membership_role, register_my_link, register_nav
from tenant_apps.catalogue.cards import picture
from tenant_apps.catalogue.maplayer import forget_cells, map_settings
from tenant_apps.catalogue.models import Activity, Interest, Provider
from tenant_apps.catalogue.publishing import on_activity_change
from tenant_apps.catalogue.search import current, territory_today
from tenant_apps.home.sections import register_section
from tenant_apps.manage.links import register_manage_link

CACHE_KEY = "catalogue:home:v2"  # v2: pictures of the newest activities
CACHE_SECONDS = 300
HOME_ACTIVITIES = 6


def _home_data(request: HttpRequest) -> dict[str, Any]:
    territory = getattr(request, "territory", None)
    if territory is None:
        return {"total": 0}
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return dict(cached)
    today = territory_today(territory.timezone)
    public = current(today)
    totals = public.aggregate(
        total=Count("id"),
        places=Count("venue", distinct=True),
        providers=Count("provider", distinct=True),
    )
    newest = list(
        public.select_related("provider", "venue")
        .only(
            "id",
            "title",
            "summary",
            "is_free",
            "age_min",
            "age_max",
            "format",
            "image",
            "image_alt",
            "interest_ids",
            "provider__name",
            "provider__logo",
            "venue__neighbourhood",
        )
        .order_by("-published_at", "-id")[:HOME_ACTIVITIES]
    )
    interests = list(Interest.objects.filter(is_active=True).order_by("position", "slug"))
    interests_by_id = {interest.pk: interest for interest in interests}
    data = {
        **totals,
        "activities": [
            {
                "id": a.pk,
                "url": a.get_absolute_url(),
                "title": a.title,
                "summary": a.summary,
                "provider": a.provider.name,
                "neighbourhood": a.venue.neighbourhood if a.venue and a.is_local else "",
                "is_free": a.is_free,
                "age_min": a.age_min,
                "age_max": a.age_max,
                "all_ages": a.all_ages,
                "online": a.format == Activity.Format.ONLINE,
                "picture": picture(a, interests_by_id),
            }
            for a in newest
        ],
        "interests": [{"slug": i.slug, "names": i.names} for i in interests],
    }
    cache.set(CACHE_KEY, data, CACHE_SECONDS)
    return data


def map_context(request: HttpRequest) -> dict[str, Any]:
    data = _home_data(request)
    territory = getattr(request, "territory", None)
    return {
        "total": data["total"],
        "places": data.get("places", 0),
        "map": map_settings(territory) if territory is not None else None,
    }


def activities_context(request: HttpRequest) -> dict[str, Any]:
    data = _home_data(request)
    return {
        "total": data["total"],
        "providers": data.get("providers", 0),
        "activities": data.get("activities", []),
    }


def interests_context(request: HttpRequest) -> dict[str, Any]:
    """The interests as tiles under the home page's hero (from the same cached data)."""
    language = getattr(request, "LANGUAGE_CODE", "en")
    interests = _home_data(request).get("interests", [])
    return {
        "interests": [
            {
                "slug": i["slug"],
                "name": Interest(slug=i["slug"], names=i["names"]).name_in(language),
            }
            for i in interests
        ]
    }


@on_activity_change
def forget_home_data(schema_name: str, change: str, activity_ids: list[int]) -> None:
    """The home sections and the map's cached clusters show public activities."""
    with schema_context(schema_name):
        cache.delete(CACHE_KEY)
        # Both days: around midnight the territory's "today" may differ from UTC's.
        now = timezone.now().date()
        for day in (now - datetime.timedelta(days=1), now, now + datetime.timedelta(days=1)):
            forget_cells(day)


def register() -> None:
    register_nav(
        "territory", key="activities", label=_("Activities"), url_name="catalogue:search", order=10
    )
    register_my_link(
        "territory", key="saved", label=_("Saved activities"), url_name="catalogue:saved", order=10
    )
    register_my_link(
        "territory",
        key="studio",
        label=_("My organisations"),
        url_name="catalogue:studio_home",
        order=50,
        visible=lambda request: membership_role(request, "provider_staff"),
    )
    register_nav(
        "territory",
        key="providers",
        label=_("For providers"),
        url_name="catalogue:for_providers",
        order=80,
    )
    register_section(
        "interests",
        order=5,
        template="catalogue/home/interests.html",
        title=_("Explore by interest"),
        context=interests_context,
        slot="hero",
    )
    register_section(
        "map",
        order=10,
        template="catalogue/home/map.html",
        title=_("Map of learning places"),
        context=map_context,
    )
    register_section(
        "activities",
        order=20,
        template="catalogue/home/activities.html",
        title=_("Activities"),
        context=activities_context,
    )
    register_manage_link(
        "catalogue-review",
        label=_("Review"),
        url_name="catalogue_review:overview",
        order=20,
        group="content",
        description=_("Activities waiting for your review."),
        count=lambda territory: Activity.objects.filter(status=Activity.Status.SUBMITTED).count(),
    )
    register_manage_link(
        "catalogue-providers",
        label=_("Providers"),
        url_name="catalogue_review:providers",
        order=21,
        group="people",
        description=_("Organisations that offer activities. New ones wait for verification."),
        count=lambda territory: Provider.objects.filter(status=Provider.Status.PENDING).count(),
    )
    register_manage_link(
        "catalogue-interests",
        label=_("Interests"),
        url_name="catalogue_review:interests",
        order=22,
        group="content",
        description=_("The topics learners find activities by."),
    )
    register_manage_link(
        "catalogue-studio",
        label=_("Your organisations"),
        url_name="catalogue:studio_home",
        order=30,
        admin_only=False,
        group="content",
        description=_("Activities and venues of the organisations you work for."),
    )
