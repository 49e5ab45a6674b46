"""The badges item of the welcome checklist (shared_apps/onboarding/checklist.py)."""

from __future__ import annotations

from shared_apps.onboarding.checklist import provide_check
from tenant_apps.badges.models import BadgeClass
from tenants.models import Territory


def badge_designed(territory: Territory) -> bool:
    return BadgeClass.objects.filter(is_archived=False).exists()


def register() -> None:
    provide_check("badge", url_name="badges_manage:create", is_done=badge_designed)
