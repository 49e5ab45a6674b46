"""The catalogue's headline figures (shared_apps.core.figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shared_apps.core.figures import register_figure
from tenant_apps.catalogue.models import Activity, Provider


def published_activities(territory: Any) -> int:
    return Activity.objects.filter(is_public=True).count()


def verified_providers(territory: Any) -> int:
    return Provider.objects.filter(status=Provider.Status.VERIFIED).count()


def register() -> None:
    register_figure(
        "published_activities", label=_("Activities"), order=10, count=published_activities
    )
    register_figure("verified_providers", label=_("Providers"), order=20, count=verified_providers)
