"""Import activities or providers from a file into a territory, as the admin page does.

manage.py import_catalogue vilnius programmes.csv --mapping mapping.json --source city
manage.py import_catalogue vilnius programmes.xlsx --dry-run

Without --mapping, columns named like the fields (the CSV download's own columns), or
as the territory's admins last mapped them, are used. Nothing is written if any row
has an error, or with --dry-run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from tenant_apps.imports import actions
from tenant_apps.imports.models import Kind
from tenant_apps.imports.readers import ImportFileError, check_upload, open_table
from tenant_apps.imports.rows import suggest_columns
from tenants.models import Territory


class Command(BaseCommand):
    help = "Import a CSV, XLSX or JSON file of activities (or providers) into a territory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("territory", help="Territory slug.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=Kind.values, default=Kind.ACTIVITIES)
        parser.add_argument("--source", default="import", help="Source of the external ids.")
        parser.add_argument(
            "--mapping", type=Path, help='JSON object: {"file column": "field", ...}.'
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"No territory {options['territory']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        kind = options["kind"]
        started = time.perf_counter()
        with path.open("rb") as file, tenant_context(territory):
            try:
                file_format = check_upload(file, path.name, path.stat().st_size)
                table = open_table(file, file_format)
                if options["mapping"]:
                    given = json.loads(options["mapping"].read_text())
                else:
                    given = suggest_columns(kind, table.columns, actions.saved_columns(kind))
                columns = actions.clean_columns(kind, given, table.columns)
                result = actions.execute(
                    territory=territory,
                    kind=kind,
                    source=actions.clean_source(options["source"]),
                    columns=columns,
                    table=table,
                    acting_user=None,
                    dry_run=options["dry_run"],
                )
            except (ImportFileError, ValidationError, ValueError) as error:
                raise CommandError(str(getattr(error, "messages", [error])[0])) from None
        seconds = time.perf_counter() - started
        for line in actions.job_errors_text(
            {"row": e.row, "messages": e.messages} for e in result.errors
        ):
            self.stderr.write(line)
        summary = (
            f"{result.checked} rows checked in {seconds:.1f} s; "
            f"{result.created} added, {result.updated} updated, "
            f"{result.providers_created} new providers, {result.venues_created} new venues"
        )
        if result.error_count:
            raise CommandError(f"{result.error_count} rows have errors: nothing written. {summary}")
        self.stdout.write(("Checked (dry run): " if options["dry_run"] else "Imported: ") + summary)
