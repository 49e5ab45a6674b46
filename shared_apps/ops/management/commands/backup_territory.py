"""manage.py backup_territory <slug> [<slug> ...] | --all  --output <folder>"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shared_apps.ops.backup import backup_territory
from tenants.models import Territory


class Command(BaseCommand):
    help = "Back up territories one by one: schema dump plus their public-schema rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="territory addresses")
        parser.add_argument("--all", action="store_true", help="every territory")
        parser.add_argument("--output", required=True, type=Path, help="folder for archives")

    def handle(self, *args: Any, **options: Any) -> None:
        territories = Territory.objects.order_by("slug")
        if not options["all"]:
            if not options["slugs"]:
                raise CommandError("Name territories, or pass --all.")
            territories = territories.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(territories.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No such territory: {', '.join(sorted(missing))}")
        for territory in territories:
            path = backup_territory(territory, options["output"])
            self.stdout.write(f"{territory.slug}: {path}")
