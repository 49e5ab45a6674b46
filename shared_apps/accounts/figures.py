"""The learners figure of a territory (shared_apps.core.figures), from the public schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import Membership
from shared_apps.core.figures import register_figure


def learners(territory: Any) -> int:
    return Membership.objects.filter(
        territory_id=territory.pk, role=Membership.Role.LEARNER
    ).count()


def register() -> None:
    register_figure("learners", label=_("Learners"), order=30, count=learners, scope="public")
