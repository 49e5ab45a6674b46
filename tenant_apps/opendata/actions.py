"""Every change of open data settings and calendar imports: atomic, audited.

Imported events become activities only through the catalogue's own actions
(tenant_apps.catalogue.actions: create, update, submit, archive), so the catalogue's
moderation rules hold: a trusted, verified provider's events are published at once,
anyone else's stay drafts for the provider to send for review.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.ops.outbox import send_task_on_commit
from tenant_apps.catalogue import actions as catalogue
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity, Interest, Provider, Venue
from tenant_apps.opendata import calendars
from tenant_apps.opendata.calendars import CalendarEntry, CalendarProblem
from tenant_apps.opendata.models import (
    LICENCES,
    CalendarError,
    CalendarEvent,
    CalendarFeed,
    Publication,
)
from tenants.models import Territory

# A provider keeps this many calendars, and sees this many latest problems of each.
MAX_CALENDARS_PER_PROVIDER = 10
KEEP_ERRORS = 100


@transaction.atomic
def set_licence(*, territory: Territory, acting_user: User, licence: str) -> Publication:
    """The territory's admins choose the licence of its open data."""
    if licence not in LICENCES:
        raise ValidationError({"licence": _("Choose one of the listed licences.")})
    publication = Publication.objects.order_by("pk").first() or Publication()
    previous = publication.licence
    publication.licence = licence
    publication.save()
    record(
        actor=acting_user,
        action=AuditEvent.OPENDATA_LICENCE,
        territory=territory,
        details={"previous": previous, "licence": licence},
    )
    return publication


# ---------------------------------------------------------------------------
# Calendars
# ---------------------------------------------------------------------------


@transaction.atomic
def register_calendar(
    *,
    provider: Provider,
    territory: Territory,
    acting_user: User,
    url: str,
    venue: Venue | None,
    interests: Sequence[Interest],
) -> CalendarFeed:
    """A provider's staff add a calendar address; the worker imports it now and then
    on every scheduled sync."""
    from tenant_apps.opendata.tasks import (
        sync_calendar_task,  # cycle: tenant_apps.opendata.tasks imports this module at load
    )

    calendars.check_address(url)
    if venue is not None and venue.provider_id != provider.pk:
        raise ValidationError({"venue": _("Choose one of your own venues.")})
    if CalendarFeed.objects.filter(provider=provider).count() >= MAX_CALENDARS_PER_PROVIDER:
        raise ValidationError(_("A provider can import at most 10 calendars."))
    if CalendarFeed.objects.filter(provider=provider, url=url.strip()).exists():
        raise ValidationError({"url": _("This calendar is imported already.")})
    calendar = CalendarFeed.objects.create(
        provider=provider, url=url.strip(), venue=venue, created_by=acting_user
    )
    calendar.interests.set(interests)
    record(
        actor=acting_user,
        action=AuditEvent.OPENDATA_CALENDAR_ADDED,
        territory=territory,
        target=calendar,
        details={"provider": provider.slug},
    )
    send_task_on_commit(sync_calendar_task, args=[calendar.pk])
    return calendar


@transaction.atomic
def remove_calendar(*, calendar: CalendarFeed, territory: Territory, acting_user: User) -> None:
    """Stop importing a calendar. The activities it made stay the provider's."""
    record(
        actor=acting_user,
        action=AuditEvent.OPENDATA_CALENDAR_REMOVED,
        territory=territory,
        target=calendar,
        details={"provider_id": calendar.provider_id},
    )
    calendar.delete()


def request_sync(*, calendar: CalendarFeed) -> None:
    """Import the calendar again now (in the worker)."""
    from tenant_apps.opendata.tasks import (
        sync_calendar_task,  # cycle: tenant_apps.opendata.tasks imports this module at load
    )

    with transaction.atomic():
        send_task_on_commit(sync_calendar_task, args=[calendar.pk])


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    published: int = 0
    archived: int = 0
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return self.summary_with(problem_count=len(self.problems))

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "published": self.published,
            "archived": self.archived,
            "unchanged": self.unchanged,
            "problems": len(self.problems),
        }

    def summary_with(self, *, problem_count: int) -> str:
        return _(
            "%(created)s new, %(updated)s updated, %(archived)s archived, "
            "%(unchanged)s unchanged, %(problems)s problems"
        ) % {
            "created": self.created,
            "updated": self.updated,
            "archived": self.archived,
            "unchanged": self.unchanged,
            "problems": problem_count,
        }


_valid_url = URLValidator(schemes=["http", "https"])


def _web_address(value: str) -> str:
    try:
        _valid_url(value)
    except ValidationError:
        return ""
    return value


def _schedule_data(entry: CalendarEntry) -> tuple[dict[str, object], list[sched.Session]]:
    if entry.day_range is not None:
        first, last = entry.day_range
        return {
            "schedule_kind": Activity.ScheduleKind.RANGE,
            "starts_on": first,
            "ends_on": last,
            "weekdays": [],
            "start_time": None,
            "end_time": None,
            "exceptions": [],
        }, []
    return {
        "schedule_kind": Activity.ScheduleKind.SESSIONS,
        "starts_on": None,
        "ends_on": None,
        "weekdays": [],
        "start_time": None,
        "end_time": None,
        "exceptions": [],
    }, [sched.Session(start, end) for start, end in entry.sessions]


def _import_entry(
    *,
    calendar: CalendarFeed,
    entry: CalendarEntry,
    link: CalendarEvent | None,
    territory: Territory,
    acting_user: User,
    result: SyncResult,
) -> None:
    provider = calendar.provider
    activity = link.activity if link is not None else None
    if entry.cancelled:
        if activity is not None and activity.status != Activity.Status.ARCHIVED:
            catalogue.archive_activity(
                activity=activity, territory=territory, acting_user=acting_user
            )
            result.archived += 1
        if link is not None:
            link.fingerprint = entry.fingerprint
            link.save(update_fields=["fingerprint"])
        return
    if link is not None and activity is not None and link.fingerprint == entry.fingerprint:
        result.unchanged += 1
        return
    if activity is None:
        activity = catalogue.create_activity(
            provider=provider, territory=territory, acting_user=acting_user, title=entry.title
        )
        venue = calendar.venue
        interests = list(calendar.interests.all())
        activity_format = Activity.Format.LOCAL if venue is not None else Activity.Format.ONLINE
        result.created += 1
    else:
        # What the provider set since (venue, interests, where) is kept.
        venue = activity.venue
        interests = list(activity.interests.all()) or list(calendar.interests.all())
        activity_format = Activity.Format(activity.format)
        result.updated += 1
    url = _web_address(entry.url)
    description = entry.description
    schedule_data, sessions = _schedule_data(entry)
    data: dict[str, object] = {
        "title": entry.title,
        "summary": (description.splitlines()[0] if description else entry.title)[:300],
        "format": activity_format,
        **schedule_data,
    }
    if url:
        data["join_method"] = Activity.JoinMethod.LINK
        data["join_url"] = url
        if activity_format != Activity.Format.LOCAL:
            data["online_url"] = url
    activity = catalogue.update_activity(
        activity=activity,
        territory=territory,
        acting_user=acting_user,
        data=data,
        description=linebreaks(escape(description)) if description else "",
        interests=interests,
        sessions=sessions,
        venue=venue,
    )
    waiting = activity.status in (Activity.Status.DRAFT, Activity.Status.ARCHIVED)
    # Trusted providers publish without review, as from the studio; one the territory
    # sent back (a return reason) waits for its staff, not for the next sync.
    if waiting and provider.trusted and provider.is_verified and not activity.return_reason:
        problems = catalogue.publication_problems(activity, territory)
        if problems:
            result.problems.append((entry.uid, " ".join(str(p) for p in problems)))
        else:
            catalogue.submit_activity(
                activity=activity, territory=territory, acting_user=acting_user
            )
            result.published += 1
    if link is None:
        link = CalendarEvent(calendar=calendar, uid=entry.uid, activity=activity)
    link.fingerprint = entry.fingerprint
    link.save()


def sync_calendar(
    *, calendar: CalendarFeed, territory: Territory, now: datetime.datetime | None = None
) -> SyncResult:
    """Fetch the calendar and bring its events in: new UIDs become activities, known
    ones are updated (only if they changed), cancelled or vanished ones archived.
    Each event is its own transaction; what could not be imported is logged for the
    provider (in the territory's language). Safe to run again at any time."""
    now = now or timezone.now()
    result = SyncResult()
    with translation.override(territory.default_language):
        acting_user = User.objects.filter(pk=calendar.created_by_id).first()
        try:
            if acting_user is None:
                raise CalendarProblem(
                    _("The account that added this calendar was deleted: add it again.")
                )
            body = calendars.fetch(calendar.url)
            entries, result.problems = calendars.parse(
                body, timezone_name=territory.timezone, now=now
            )
        except CalendarProblem as problem:
            result.problems.append(("", str(problem)))
            _finish(calendar, result, ok=False, summary=str(problem), now=now)
            return result
        links = {
            link.uid: link
            for link in CalendarEvent.objects.filter(calendar=calendar).select_related(
                "activity", "activity__provider"
            )
        }
        for entry in entries:
            try:
                with transaction.atomic():
                    _import_entry(
                        calendar=calendar,
                        entry=entry,
                        link=links.get(entry.uid),
                        territory=territory,
                        acting_user=acting_user,
                        result=result,
                    )
            except ValidationError as error:
                result.problems.append((entry.uid, " ".join(error.messages)[:500]))
        # Events gone from the calendar leave the site (archived, not deleted). An
        # event that could not be read this time is not taken for a vanished one.
        present = {e.uid for e in entries} | {uid for uid, _message in result.problems}
        for uid, link in links.items():
            if uid in present or link.activity.status == Activity.Status.ARCHIVED:
                continue
            with transaction.atomic():
                catalogue.archive_activity(
                    activity=link.activity, territory=territory, acting_user=acting_user
                )
            result.archived += 1
        _finish(calendar, result, ok=True, summary=result.summary, now=now)
    return result


@transaction.atomic
def _finish(
    calendar: CalendarFeed, result: SyncResult, *, ok: bool, summary: str, now: datetime.datetime
) -> None:
    CalendarError.objects.bulk_create(
        CalendarError(calendar=calendar, uid=uid[:255], message=message[:500])
        for uid, message in result.problems
    )
    stale = CalendarError.objects.filter(calendar=calendar).order_by("-at", "-pk")[KEEP_ERRORS:]
    CalendarError.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    calendar.last_synced_at = now
    calendar.last_ok = ok
    calendar.last_counts = result.counts() if ok else {}
    calendar.last_summary = summary[:200]
    calendar.save(update_fields=["last_synced_at", "last_ok", "last_counts", "last_summary"])
