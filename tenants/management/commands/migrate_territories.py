"""Migrate the territory schemas that are behind the running code, in parallel.

The release's territory step (deploy/release.sh, ``make run``), after
``migrate_schemas --shared`` and ``migrate_standby_schemas``. Schemas recorded as
migrated to the running code's migrations are skipped without being asked
(tenants.release); a no-op release costs one query however many territories there are.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants import release


class Command(BaseCommand):
    help = "Migrate only the territory schemas behind the code; report the ones that fail."
    # The release runs `check --deploy` as its first step; not again here (~1 s).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--processes",
            type=int,
            default=settings.TENANT_MULTIPROCESSING_MAX_PROCESSES,
            help="worker processes (default MIGRATION_PROCESSES)",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="also read each schema recorded as current (one query per schema)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 2

        def progress(schema: str, error: str | None) -> None:
            if verbose:
                self.stdout.write(f"{schema}: {'migrated' if error is None else 'FAILED'}")

        result = release.migrate_territories(
            processes=options["processes"], verify=options["verify"], on_result=progress
        )
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"territory schemas: {result.up_to_date} already current, "
                f"{len(result.migrated)} migrated, {len(result.failed)} failed"
            )
        if result.failed:
            for schema, error in sorted(result.failed.items()):
                self.stderr.write(f"{schema}: {error}")
            raise CommandError(
                f"{len(result.failed)} territory schema(s) could not be migrated and are "
                "still marked behind: fix them and run migrate_territories again"
            )
