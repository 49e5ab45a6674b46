"""Accounts of a given age for the guardian tests."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from shared_apps.accounts.actions import ensure_learner_membership
from shared_apps.accounts.models import User
from shared_apps.guardians.actions import record_birth_month
from tenants.models import Territory

PASSWORD = "a long new pass phrase 2026"


def birth_months_ago(months: int, today: datetime.date | None = None) -> tuple[int, int]:
    """The year and month ``months`` months before this month."""
    today = today or timezone.localdate()
    index = today.year * 12 + (today.month - 1) - months
    return index // 12, index % 12 + 1


def just_turned(age: int) -> tuple[int, int]:
    """Born so that the birthday month of ``age`` ended last month: ``age`` today."""
    return birth_months_ago(age * 12 + 1)


def turning_this_month(age: int) -> tuple[int, int]:
    """Birthday of ``age`` this month: still counted ``age - 1``."""
    return birth_months_ago(age * 12)


def make_learner(email: str, birth: tuple[int, int], territory: Territory | None = None) -> User:
    user = User.objects.create_user(email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if territory is not None:
        ensure_learner_membership(user=user, territory=territory)
    record_birth_month(user=user, birth_year=birth[0], birth_month=birth[1], territory=territory)
    return user
