"""Badges' headline figure (shared_apps.core.figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shared_apps.core.figures import register_figure
from tenant_apps.badges.models import Award


def badges_awarded(territory: Any) -> int:
    return Award.objects.filter(revoked_at__isnull=True).count()


def register() -> None:
    register_figure("badges_awarded", label=_("Badges awarded"), order=50, count=badges_awarded)
