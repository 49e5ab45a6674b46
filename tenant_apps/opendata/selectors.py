"""Reads of the open data feeds (inside the territory's schema). Only public
activities (published, by a verified provider) are ever described; nothing about a
person (no contacts, no staff, no learners) is in any of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from shared_apps.core.hosts import territory_url
from tenant_apps.catalogue import jsonld
from tenant_apps.catalogue.models import Activity
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


def public_activities() -> QuerySet[Activity]:
    """Everything a feed item needs, in a constant number of queries per page."""
    return (
        Activity.objects.filter(is_public=True)
        .select_related("provider", "venue")
        .prefetch_related("interests", "sessions")
    )


def describe(activity: Activity, territory: Territory) -> dict[str, Any]:
    """The activity as schema.org JSON-LD (the same as its page's), without the
    ``@context`` (the feed gives it once), with a stable ``identifier``."""
    schedule = activity.schedule(territory.timezone, sessions=list(activity.sessions.all()))
    data = jsonld.activity_jsonld(
        activity,
        schedule,
        url=territory_url(territory, activity.get_absolute_url()),
        provider_url=territory_url(
            territory, reverse("catalogue:provider", args=[activity.provider.slug])
        ),
        currency=territory.currency,
    )
    data.pop("@context", None)
    data["identifier"] = str(activity.pk)
    return data


def catalogue_page(*, after_id: int, size: int) -> list[Activity]:
    """The next ``size`` public activities by id after ``after_id`` (keyset paging:
    the same cost on the last page as on the first)."""
    return list(public_activities().filter(pk__gt=after_id).order_by("pk")[:size])


@dataclass(frozen=True)
class ChangeItem:
    entry: FeedEntry
    # None for a deleted item, or an updated one no longer public when read.
    activity: Activity | None


def changes_page(*, after_modified: int, after_id: int, size: int) -> list[ChangeItem]:
    """The next ``size`` entries of the changes feed, ordered by (modified, id)."""
    entries = list(
        FeedEntry.objects.filter(
            Q(modified__gt=after_modified) | Q(modified=after_modified, activity_id__gt=after_id)
        ).order_by("modified", "activity_id")[:size]
    )
    wanted = [e.activity_id for e in entries if e.state == FeedEntry.State.UPDATED]
    activities = {a.pk: a for a in public_activities().filter(pk__in=wanted)} if wanted else {}
    return [ChangeItem(entry=e, activity=activities.get(e.activity_id)) for e in entries]
