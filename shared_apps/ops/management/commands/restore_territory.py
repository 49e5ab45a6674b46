"""manage.py restore_territory <archive.tar.gz>"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shared_apps.ops.backup import RestoreRefused, restore_territory


class Command(BaseCommand):
    help = (
        "Restore one territory from a backup_territory archive into this database "
        "(its shared schema migrated; the territory absent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--schema-only",
            action="store_true",
            help="Only the territory's schema (moving it to another cluster): its public "
            "rows stay where they are.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="With --schema-only: replace the schema if it exists here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            restored = restore_territory(
                archive, schema_only=options["schema_only"], replace=options["replace"]
            )
        except RestoreRefused as refusal:
            raise CommandError(f"Not restored: {refusal}") from None
        if options["schema_only"]:
            self.stdout.write(f"restored the schema {restored.schema_name} of {restored.slug}")
            return
        rows = ", ".join(f"{n} {label}" for label, n in sorted(restored.rows.items()))
        reused = ", ".join(f"{n} {label}" for label, n in sorted(restored.reused.items()))
        self.stdout.write(f"restored {restored.slug} ({restored.schema_name}): {rows}")
        if reused:
            self.stdout.write(f"already here, kept: {reused}")
