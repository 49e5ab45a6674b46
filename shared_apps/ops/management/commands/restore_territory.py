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

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            restored = restore_territory(archive)
        except RestoreRefused as refusal:
            raise CommandError(f"Not restored: {refusal}") from None
        rows = ", ".join(f"{n} {label}" for label, n in sorted(restored.rows.items()))
        reused = ", ".join(f"{n} {label}" for label, n in sorted(restored.reused.items()))
        self.stdout.write(f"restored {restored.slug} ({restored.schema_name}): {rows}")
        if reused:
            self.stdout.write(f"already here, kept: {reused}")
