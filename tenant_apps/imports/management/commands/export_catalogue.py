"""Write a territory's public catalogue as CSV (the same file as /open-data/activities.csv).

manage.py export_catalogue vilnius --output vilnius.csv
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from tenant_apps.imports.exports import csv_lines
from tenants.models import Territory


class Command(BaseCommand):
    help = "Write a territory's published activities as CSV (under its open data licence)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("territory", help="Territory slug.")
        parser.add_argument("--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"No territory {options['territory']!r}.")
        output: Path | None = options["output"]
        with tenant_context(territory):
            if output is None:
                for line in csv_lines(territory):
                    self.stdout.write(line, ending="")
                return
            with output.open("w", encoding="utf-8", newline="") as file:
                for line in csv_lines(territory):
                    file.write(line)
        self.stderr.write(f"Wrote {output}")
