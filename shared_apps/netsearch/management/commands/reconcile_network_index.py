from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shared_apps.netsearch.actions import reconcile_all


class Command(BaseCommand):
    help = (
        "Compare the network search index with every territory's public activities and repair it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for diff in reconcile_all(repair=not options["dry_run"]):
            total += diff.count
            if diff.count:
                self.stdout.write(
                    f"{diff.territory}: missing {diff.missing}, extra {diff.extra}, "
                    f"stale {diff.stale}"
                )
        verb = "found" if options["dry_run"] else "repaired"
        self.stdout.write(f"{verb} {total} differences")
