"""Migrate the standby schemas of the provisioning pool (and optionally refill it).

Part of every migration run, after ``migrate_schemas --shared`` and before the
territories (``migrate_schemas --tenant``): provisioning only claims standbys migrated
exactly as far as the running code expects, so an unmigrated pool means slow (but
correct) provisioning until this has run.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tenants import pool


class Command(BaseCommand):
    help = "Migrate the standby schemas of the provisioning pool; --fill tops the pool up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fill",
            action="store_true",
            help="then build standby schemas until STANDBY_POOL_SIZE are ready",
        )
        parser.add_argument("--size", type=int, default=None, help="pool size for --fill")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = pool.migrate_standby_schemas()
        built = pool.refill_pool(options["size"]) if options["fill"] else 0
        orphans = pool.orphan_standby_schemas()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"standby schemas: {counts['current']} already current, "
                f"{counts['migrated']} migrated, {counts['dropped']} dropped, {built} built"
            )
        if orphans:
            self.stderr.write(
                "standby-like schemas with no pool entry (left alone): " + ", ".join(orphans)
            )
