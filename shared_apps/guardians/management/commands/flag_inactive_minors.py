from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from shared_apps.guardians.retention import apply_retention


class Command(BaseCommand):
    help = "Flag unused accounts of minors for deletion; delete those flagged long enough."

    def handle(self, *args: Any, **options: Any) -> None:
        with schema_context("public"):
            result = apply_retention()
        self.stdout.write(
            f"flagged={result.flagged} cleared={result.cleared} deleted={result.deleted}"
        )
