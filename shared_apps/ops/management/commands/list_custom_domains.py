"""manage.py list_custom_domains: verified custom domains, one per line, for the
certificate renewal job (deploy/README.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tenants.models import Domain, Territory


class Command(BaseCommand):
    help = "Print the verified custom domains of live territories (for ACME certificates)."

    def handle(self, *args: Any, **options: Any) -> None:
        domains = Domain.objects.filter(
            kind=Domain.Kind.CUSTOM,
            is_verified=True,
            tenant__status__in=Territory.LIVE_STATUSES,
        ).order_by("domain")
        for domain in domains.values_list("domain", flat=True):
            self.stdout.write(domain)
