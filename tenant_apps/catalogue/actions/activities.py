"""Activities: a new draft, the editor's save (with the schedule's index columns),
translations and autosave. ``_refresh`` is how every topic re-indexes activities.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.core.text import sanitize_html
from tenant_apps.catalogue import fields as activity_fields
from tenant_apps.catalogue import publishing
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import (
    OPEN_END,
    Activity,
    ActivitySession,
    Interest,
    Provider,
    Venue,
)
from tenant_apps.catalogue.search import territory_today
from tenant_apps.manage.translations import save_translations
from tenants.models import Territory

# The editor's fields its save copies as they are (the spec's, catalogue/fields.py);
# the import writes the same columns.
ACTIVITY_FIELDS = activity_fields.copied_fields()


def _refresh(
    territory: Territory, activity_ids: Iterable[int], *, content_changed: bool = True
) -> None:
    publishing.refresh_activities(
        list(activity_ids), language=territory.default_language, content_changed=content_changed
    )


def apply_schedule(
    activity: Activity, territory: Territory, sessions: Sequence[sched.Session]
) -> None:
    """Write the schedule's index columns (days, first, last and next day)."""
    schedule = dataclasses.replace(
        activity.schedule(territory.timezone, sessions=[]), sessions=tuple(sessions)
    )
    today = territory_today(territory.timezone)
    try:
        columns = _index_columns(schedule, today)
    except TypeError:  # unhashable parts (not from an Activity's own fields): uncached
        columns = _index_columns.__wrapped__(schedule, today)
    if columns is None:
        # An unfinished draft's schedule: not searchable by date until completed
        # (drafts are not public anyway; submission requires a valid schedule).
        activity.days, activity.first_date, activity.last_date = [], None, None
        activity.next_date = None
        return
    activity.days = list(columns.days)  # the activity's own list, not the cached one
    activity.first_date, activity.last_date = columns.first, columns.last
    activity.next_date = columns.next


@functools.lru_cache(maxsize=4096)
def _index_columns(schedule: sched.Schedule, today: datetime.date) -> sched.IndexColumns | None:
    """A complete schedule's index columns on that day; None for an incomplete one.
    Cached: pure (a frozen value and a day in, dates out), and an import's rows repeat
    the same schedules thousands of times."""
    try:
        sched.validate(schedule, complete=True)
    except sched.ScheduleError:
        return None
    return sched.index_columns(schedule, today, open_end=OPEN_END)


@transaction.atomic
def create_activity(
    *, provider: Provider, territory: Territory, acting_user: User, title: str
) -> Activity:
    """A new draft with just a title; the editor (with autosave) fills in the rest."""
    activity = Activity(
        provider=provider,
        title=title.strip(),
        languages=[territory.default_language],
        venue=provider.venues.order_by("pk").first(),
    )
    apply_schedule(activity, territory, [])
    activity.save()
    return activity


@transaction.atomic
def update_activity(
    *,
    activity: Activity,
    territory: Territory,
    acting_user: User,
    data: Mapping[str, Any],
    description: str,
    interests: Sequence[Interest],
    sessions: Sequence[sched.Session],
    venue: Venue | None,
    image: File[bytes] | None = None,
    remove_image: bool = False,
) -> Activity:
    """Save the editor's form. Drafts stay drafts; a public activity changes at once
    (its provider is verified) and subscribers hear "changed"."""
    if venue is not None and venue.provider_id != activity.provider_id:
        raise ValidationError({"venue": _("Choose one of your own venues.")})
    for name in activity_fields.copied_fields():  # read now: a test may add a field
        if name in data:
            setattr(activity, name, data[name])
    activity.venue = venue
    activity.description = sanitize_html(description)
    if remove_image and activity.image:
        activity.image.delete(save=False)
    if image is not None:
        activity.image.save(image.name or "image", image, save=False)
    apply_schedule(activity, territory, sessions)
    activity.autosave_data = None
    activity.autosaved_at = None
    activity.full_clean(
        exclude=["provider", "venue", "image", "search_vector", "rank_vector", "location"]
    )
    activity.save()
    activity.interests.set(interests)
    activity.sessions.all().delete()
    ActivitySession.objects.bulk_create(
        ActivitySession(activity=activity, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in sessions
    )
    _refresh(territory, [activity.pk])
    return activity


@transaction.atomic
def save_activity_translations(
    activity: Activity, texts: dict[str, dict[str, str]], *, territory: Territory, acting_user: User
) -> None:
    """Store the activity's texts in other languages (audited) and re-index it: search
    finds an activity by its translations too (issue 16, item 8)."""
    save_translations(activity, texts, territory=territory, acting_user=acting_user)
    _refresh(territory, [activity.pk])


def autosave_activity(*, activity: Activity, data: Mapping[str, Any]) -> datetime.datetime:
    """Keep the editor's raw input (valid or not) until it is saved for real."""
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(autosave_data=dict(data), autosaved_at=now)
    return now


def discard_autosave(*, activity: Activity) -> None:
    Activity.objects.filter(pk=activity.pk).update(autosave_data=None, autosaved_at=None)
