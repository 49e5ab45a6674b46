"""Playlists' headline figure (shared_apps.core.figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shared_apps.core.figures import register_figure
from tenant_apps.playlists.models import Enrolment


def completions(territory: Any) -> int:
    return Enrolment.objects.filter(completed_at__isnull=False).count()


def register() -> None:
    register_figure(
        "playlist_completions", label=_("Playlists completed"), order=60, count=completions
    )
