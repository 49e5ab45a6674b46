"""Imports: many providers, venues and activities written at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from shared_apps.core.pagecache import public_content_changed
from shared_apps.core.text import sanitize_html
from tenant_apps.catalogue import bulk, publishing
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.actions.activities import ACTIVITY_FIELDS, _refresh, apply_schedule
from tenant_apps.catalogue.actions.providers import unique_slug
from tenant_apps.catalogue.models import (
    Activity,
    ActivitySession,
    Provider,
    Venue,
)
from tenants.models import Territory

# ---------------------------------------------------------------------------
# Imports (tenant_apps.imports): many rows at once, already validated there with
# the editor's own forms; written here so the search and schedule indexes and the
# subscribers of publishing are kept the same way as for one activity.
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class ImportedActivity:
    """One activity to write: ``activity`` is new (no pk) or changed in memory."""

    activity: Activity
    interest_ids: list[int]
    sessions: list[sched.Session]


IMPORTED_ACTIVITY_COLUMNS = (
    *ACTIVITY_FIELDS,
    "description",
    "provider",
    "venue",
    "status",
    "published_at",
    "submitted_at",
    "external_source",
    "external_id",
    "days",
    "first_date",
    "last_date",
    "next_date",
    "updated_at",
)


def prepare_imported_activity(
    activity: Activity, *, territory: Territory, sessions: Sequence[sched.Session], publish: bool
) -> None:
    """Fill what the editor's save would (clean description, schedule columns, the
    status) on an activity that is not saved yet."""
    activity.description = sanitize_html(activity.description)
    apply_schedule(activity, territory, sessions)
    now = timezone.now()
    if publish:
        activity.status = Activity.Status.PUBLISHED
        activity.published_at = activity.published_at or now
    elif activity.status == Activity.Status.PUBLISHED or not activity.status:
        activity.status = Activity.Status.DRAFT
    activity.updated_at = now


@transaction.atomic
def save_imported_activities(
    *, territory: Territory, rows: Sequence[ImportedActivity]
) -> tuple[int, int]:
    """Write a batch of imported activities (new ones in one INSERT, changed ones in
    one UPDATE, their search columns computed in the same statement), their interests
    and sessions, and tell publishing's subscribers. Returns (created, updated). The caller audits
    the import as a whole (one event, not one per row)."""

    new = [r for r in rows if r.activity.pk is None]
    changed = [r for r in rows if r.activity.pk is not None]
    for r in rows:
        # Providers and venues of the batch may have been saved after being assigned.
        r.activity.provider_id = r.activity.provider.pk
        r.activity.venue_id = r.activity.venue.pk if r.activity.venue is not None else None
    for r in changed:
        r.activity.updated_at = timezone.now()
    # The rows and their search columns in one write (one INSERT, one UPDATE).
    visibility = bulk.write_activities(
        [r.activity for r in new],
        [r.activity for r in changed],
        IMPORTED_ACTIVITY_COLUMNS,
        interest_ids={id(r.activity): r.interest_ids for r in rows},
        language=territory.default_language,
    )
    if changed:
        changed_ids = [r.activity.pk for r in changed]
        bulk.delete_rows(Activity.interests.through._meta.db_table, "activity_id", changed_ids)
        bulk.delete_rows(ActivitySession._meta.db_table, "activity_id", changed_ids)
    bulk.copy_rows(
        Activity.interests.through._meta.db_table,
        ["activity_id", "interest_id"],
        ((r.activity.pk, i) for r in rows for i in dict.fromkeys(r.interest_ids)),
    )
    bulk.copy_rows(
        ActivitySession._meta.db_table,
        ["activity_id", "starts_at", "ends_at"],
        ((r.activity.pk, s.starts_at, s.ends_at) for r in rows for s in r.sessions),
    )
    publishing.announce(visibility)
    return len(new), len(changed)


@transaction.atomic
def save_imported_providers(*, territory: Territory, providers: Sequence[Provider]) -> None:
    """Write imported providers (new ones verified: the admin vouches for the file);
    the search columns of activities of changed ones follow (their names are indexed)."""
    changed = [p.pk for p in providers if p.pk is not None]
    if any(not p.slug for p in providers):
        # New providers of an activity file get their slugs here, not when their rows
        # were checked: the checker runs no query (a batch may be being written).
        stored = set(Provider.objects.values_list("slug", flat=True))
        for provider in providers:
            if not provider.slug:
                provider.slug = unique_slug(provider.name, stored=stored)
                stored.add(provider.slug)
    for provider in providers:
        provider.description = sanitize_html(provider.description)
        provider.save()
    public_content_changed()
    if changed:
        _refresh(
            territory, Activity.objects.filter(provider_id__in=changed).values_list("id", flat=True)
        )


@transaction.atomic
def save_imported_venues(*, territory: Territory, venues: Sequence[Venue]) -> None:
    """Write new venues of an import (their points were checked with check_venue_point)."""
    for venue in venues:
        venue.full_clean(exclude=["provider"])
        venue.save()
