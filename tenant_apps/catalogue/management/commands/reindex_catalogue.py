"""Recompute the search columns of every activity (all territories, or one).

Run after a release that changes what the index holds (for example the translations
added to the search vector, issue 16 item 8, or how schedules expand into days):
publishing keeps the columns current afterwards. First the schedule's day index
(days with a session, first, last and next day: ``actions.apply_schedule``, the code
every save runs), then the search columns, in batches of BATCH activities, one
UPDATE each; subscribers (the network index) hear "changed" for the public ones.

manage.py reindex_catalogue [--territory vilnius]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import publishing
from tenant_apps.catalogue.actions import apply_schedule
from tenant_apps.catalogue.models import Activity
from tenant_apps.catalogue.schedule import Session
from tenants.models import Territory

BATCH = 1000


class Command(BaseCommand):
    help = "Recompute the catalogue's search columns (all territories, or one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", help="Territory slug (default: every territory).")

    def handle(self, *args: Any, **options: Any) -> None:
        territories = Territory.objects.exclude(status=Territory.Status.PROVISIONING)
        if options["territory"]:
            territories = territories.filter(slug=options["territory"])
            if not territories.exists():
                raise CommandError(f"No territory {options['territory']!r}.")
        for territory in territories.order_by("pk"):
            with tenant_context(territory):
                ids = list(Activity.objects.order_by("pk").values_list("pk", flat=True))
                for start in range(0, len(ids), BATCH):
                    with transaction.atomic():
                        batch = list(
                            Activity.objects.filter(pk__in=ids[start : start + BATCH])
                            .prefetch_related("sessions")
                            .order_by("pk")
                        )
                        for activity in batch:
                            apply_schedule(
                                activity,
                                territory,
                                [Session(s.starts_at, s.ends_at) for s in activity.sessions.all()],
                            )
                        Activity.objects.bulk_update(
                            batch, ["days", "first_date", "last_date", "next_date"]
                        )
                        publishing.refresh_activities(
                            ids[start : start + BATCH], language=territory.default_language
                        )
            self.stdout.write(f"{territory.slug}: {len(ids)} activities re-indexed")
