"""Open data of a territory's catalogue: the changes feed's entries (with tombstones)
and the providers' calendar feeds imported on a schedule.

All of it lives in the territory's own schema.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tenant_apps.catalogue.models import Activity, Interest, Provider, Venue

# Licences a territory can publish its catalogue under: code -> (name, deed URL).
LICENCES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero 1.0 (public domain)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
}


class Publication(models.Model):
    """At most one row per territory schema: the licence of its open data (the
    platform's default, settings.OPEN_DATA_LICENCE, until an admin chooses one)."""

    licence = models.CharField(
        "licence",
        max_length=20,
        choices=[(code, name) for code, (name, _url) in LICENCES.items()],
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.licence


class FeedEntry(models.Model):
    """The last change of one activity as the changes feed (RPDE) shows it.

    ``modified`` grows with every change, in commit order (written under a table lock
    after the catalogue's transaction commits), so a consumer reading "after (modified,
    id)" never misses a change. A row is never deleted: an activity deleted or no
    longer public stays as a "deleted" tombstone. Only activities that were public at
    some point ever get a row, so drafts never appear, not even as ids.
    """

    class State(models.TextChoices):
        UPDATED = "updated"
        DELETED = "deleted"

    # No foreign key: the tombstone outlives the activity.
    activity_id = models.BigIntegerField(primary_key=True)
    state = models.CharField(max_length=8, choices=State.choices)
    kind = models.CharField(max_length=20)
    modified = models.BigIntegerField(unique=True)
    # When the activity last changed as far as this row knows (activity.updated_at):
    # the reconciliation catches a change whose after-commit write was lost.
    source_updated_at = models.DateTimeField(null=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["modified", "activity_id"], name="opendata_feed_order")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.state} @ {self.modified}"


class CalendarFeed(models.Model):
    """A provider's iCalendar (.ics) URL, imported by the worker on a schedule: each
    VEVENT becomes one of the provider's activities (keyed by its UID)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="calendars")
    url = models.URLField("calendar address", max_length=500)
    # What a calendar does not say, but an activity needs before it can be published.
    venue = models.ForeignKey(
        Venue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="venue",
    )
    interests = models.ManyToManyField(
        Interest, related_name="+", blank=True, verbose_name="interests"
    )
    # Whose name the imported changes go under (audit log): who registered it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(default=False)
    # What the last sync did ({"created": 1, ...}), shown in the reader's language;
    # or, when it failed as a whole, why (in the territory's language).
    last_counts = models.JSONField(default=dict, blank=True)
    last_summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "url"], name="opendata_calendar_unique")
        ]

    def __str__(self) -> str:
        return f"calendar {self.pk} of {self.provider_id}"

    def last_result(self) -> str:
        """What the last sync did, in the active language."""
        if not self.last_ok:
            return self.last_summary
        from tenant_apps.opendata.actions import (
            SyncResult,  # cycle: tenant_apps.opendata.actions imports this module at load
        )

        counts = self.last_counts
        result = SyncResult(
            created=int(counts.get("created", 0)),
            updated=int(counts.get("updated", 0)),
            archived=int(counts.get("archived", 0)),
            unchanged=int(counts.get("unchanged", 0)),
        )
        return result.summary_with(problem_count=int(counts.get("problems", 0)))


class CalendarEvent(models.Model):
    """Which activity a calendar's VEVENT (by UID) became."""

    calendar = models.ForeignKey(CalendarFeed, on_delete=models.CASCADE, related_name="events")
    uid = models.CharField(max_length=255)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    # The VEVENT's SEQUENCE and LAST-MODIFIED as last imported.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "uid"], name="opendata_event_uid_unique")
        ]

    def __str__(self) -> str:
        return f"{self.uid} -> {self.activity_id}"


class CalendarError(models.Model):
    """One problem of one sync of a calendar, shown to the provider (never personal
    data: the event's UID and what was wrong)."""

    calendar = models.ForeignKey(CalendarFeed, on_delete=models.CASCADE, related_name="errors")
    at = models.DateTimeField(auto_now_add=True)
    uid = models.CharField(max_length=255, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.calendar_id}: {self.message[:40]}"
