"""The changes feed's bookkeeping: every change of public visibility or content of an
activity (announced by tenant_apps.catalogue.publishing after its commit) gets the
next ``modified`` number of the territory, in commit order.

Numbers are handed out under a lock of the feed table, in their own short
transaction, so a transaction that took a number commits before the next one takes
its own: a consumer that read up to N never finds a change < N appear later (the
usual trap of ordering by timestamps written inside long transactions).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity
from tenant_apps.catalogue.publishing import Change, on_activity_change
from tenant_apps.opendata.models import FeedEntry
from tenants.models import Territory

logger = logging.getLogger(__name__)


def kind_of(schedule_kind: str) -> str:
    """The schema.org type the feeds give an activity (as jsonld.activity_jsonld)."""
    return "Course" if schedule_kind == sched.OPEN else "Event"


def record_changes(*, updated: Iterable[int] = (), deleted: Iterable[int] = ()) -> int:
    """Give each activity its next ``modified``: ``updated`` ones (public now, content
    read at feed time) and ``deleted`` ones (gone or no longer public). Runs in the
    current schema, in its own transaction; returns how many rows were written."""
    updated_ids = sorted(set(updated))
    deleted_ids = sorted(set(deleted) - set(updated_ids))
    if not updated_ids and not deleted_ids:
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Serialises writers of this territory's feed until commit (readers are
            # not blocked: SHARE ROW EXCLUSIVE conflicts with writers only).
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(FeedEntry._meta.db_table)} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
        last = FeedEntry.objects.aggregate(last=Max("modified"))["last"] or 0
        current = {
            pk: (kind, updated_at)
            for pk, kind, updated_at in Activity.objects.filter(
                pk__in=updated_ids, is_public=True
            ).values_list("pk", "schedule_kind", "updated_at")
        }
        # Not public (any more) by the time this runs: a tombstone, but only for an
        # activity the feed has shown (a draft never gets a row, not even its id).
        shown = dict(
            FeedEntry.objects.filter(
                activity_id__in=[pk for pk in updated_ids + deleted_ids if pk not in current]
            ).values_list("activity_id", "kind")
        )
        rows: list[FeedEntry] = []
        for pk in sorted(set(updated_ids) | set(deleted_ids)):
            if pk in current:
                schedule_kind, updated_at = current[pk]
                state, kind = FeedEntry.State.UPDATED, kind_of(schedule_kind)
            elif pk in shown:
                state, kind, updated_at = FeedEntry.State.DELETED, shown[pk], None
            else:
                continue
            last += 1
            rows.append(
                FeedEntry(
                    activity_id=pk,
                    state=state,
                    kind=kind,
                    modified=last,
                    source_updated_at=updated_at,
                    recorded_at=timezone.now(),
                )
            )
        FeedEntry.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["activity_id"],
            update_fields=["state", "kind", "modified", "source_updated_at", "recorded_at"],
        )
    return len(rows)


@on_activity_change
def activity_changed(schema_name: str, change: Change, activity_ids: list[int]) -> None:
    with schema_context(schema_name):
        if change in ("published", "changed"):
            record_changes(updated=activity_ids)
        else:
            record_changes(deleted=activity_ids)


def reconcile() -> int:
    """Catch up what the after-commit writes missed (a process killed between the
    catalogue's commit and the feed's write): public activities the feed does not show
    as they are now, and shown ones that are no longer public. Idempotent; run by
    beat and on setup. Returns how many entries it wrote."""
    entries = FeedEntry.objects.filter(activity_id=OuterRef("pk"))
    stale = (
        Activity.objects.filter(is_public=True)
        .annotate(
            entry_state=Subquery(entries.values("state")[:1]),
            entry_seen=Subquery(entries.values("source_updated_at")[:1]),
        )
        .filter(
            Q(entry_state__isnull=True)
            | Q(entry_state=FeedEntry.State.DELETED)
            | Q(entry_seen__isnull=True)
            | Q(entry_seen__lt=F("updated_at"))
        )
        .values_list("pk", flat=True)
    )
    public = Activity.objects.filter(is_public=True).values("pk")
    gone = FeedEntry.objects.filter(state=FeedEntry.State.UPDATED).exclude(activity_id__in=public)
    updated = list(stale)
    deleted = list(gone.values_list("activity_id", flat=True))
    return record_changes(updated=updated, deleted=deleted)


def reconcile_for_setup(territory: Territory) -> None:
    reconcile()
