"""Import providers' calendars now, as the worker does hourly.

manage.py sync_calendars --territory vilnius [--calendar 12] [--reconcile-feed]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from tenant_apps.opendata import changes
from tenant_apps.opendata.actions import sync_calendar
from tenant_apps.opendata.models import CalendarFeed
from tenants.models import Territory


class Command(BaseCommand):
    help = "Import a territory's calendar feeds (all, or one) and print what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", required=True, help="Territory slug.")
        parser.add_argument("--calendar", type=int, help="Only this calendar (its id).")
        parser.add_argument(
            "--reconcile-feed",
            action="store_true",
            help="Also catch the changes feed up with the catalogue.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"No territory {options['territory']!r}.")
        with tenant_context(territory):
            calendars = CalendarFeed.objects.select_related("provider").order_by("pk")
            if options["calendar"] is not None:
                calendars = calendars.filter(pk=options["calendar"])
                if not calendars.exists():
                    raise CommandError(f"No calendar {options['calendar']} in this territory.")
            for calendar in calendars:
                result = sync_calendar(calendar=calendar, territory=territory)
                self.stdout.write(f"calendar {calendar.pk}: {result.summary}")
            if options["reconcile_feed"]:
                self.stdout.write(f"changes feed: {changes.reconcile()} entries written")
