"""Generate a catalogue of any size in a territory (for benchmarks and load tests).

manage.py generate_catalogue --territory vilnius --activities 100000 --providers 8000
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.generator import clear_catalogue, generate
from tenants.models import Territory


class Command(BaseCommand):
    help = "Add generated providers, venues and activities to a territory's catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", required=True, help="Territory slug.")
        parser.add_argument("--activities", type=int, default=1000)
        parser.add_argument("--providers", type=int, default=0, help="Default: activities / 3.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--published-share", type=float, default=0.92, help="Share of published activities."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete the territory's catalogue first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"No territory {options['territory']!r}.")
        count = options["activities"]
        if not 1 <= count <= 1_000_000:
            raise CommandError("--activities must be between 1 and 1,000,000.")
        providers = options["providers"] or max(1, count // 3)
        started = time.perf_counter()
        with tenant_context(territory):
            if options["replace"]:
                clear_catalogue()
            report = generate(
                territory=territory,
                activities=count,
                providers=providers,
                seed=options["seed"],
                published_share=options["published_share"],
                pending_provider_share=0.0 if options["published_share"] >= 1 else 0.03,
            )
        self.stdout.write(
            f"{territory.slug}: {report.providers} providers, {report.venues} venues, "
            f"{report.activities} activities ({report.public} public) "
            f"in {time.perf_counter() - started:.1f} s"
        )
