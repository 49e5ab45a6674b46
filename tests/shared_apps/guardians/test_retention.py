"""Unused accounts of minors are flagged (learner and guardian told), then deleted."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.guardians.models import AgeRecord, GuardianConsent
from shared_apps.guardians.retention import apply_retention
from shared_apps.guardians.tasks import flag_inactive_minors
from tenants.models import Territory
from tests.shared_apps.guardians.factories import just_turned, make_learner, turning_this_month

DAY = datetime.timedelta(days=1)


def _last_seen(user: User, when: datetime.datetime) -> None:
    User.objects.filter(pk=user.pk).update(last_login=when, date_joined=when - DAY)


def test_inactive_minors_are_flagged_cleared_on_use_and_deleted_after_grace(
    territory_a: Territory, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.MINOR_INACTIVE_DAYS = 365
    settings.MINOR_DELETION_GRACE_DAYS = 30
    now = timezone.now()
    idle_minor = make_learner("idle.teen@example.org", just_turned(15), territory_a)
    GuardianConsent.objects.create(user=idle_minor, guardian_email="parent@example.org")
    busy_minor = make_learner("busy.teen@example.org", just_turned(15), territory_a)
    idle_adult = make_learner("idle.adult@example.org", just_turned(18), territory_a)
    almost_adult = make_learner("almost@example.org", turning_this_month(18), territory_a)
    for person in (idle_minor, idle_adult, almost_adult):
        _last_seen(person, now - 366 * DAY)
    _last_seen(busy_minor, now - 364 * DAY)

    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention(now)
    assert result.flagged == 2  # idle minor, and the one turning 18 only this month
    flagged = set(
        AgeRecord.objects.filter(flagged_for_deletion_at__isnull=False).values_list(
            "user__email", flat=True
        )
    )
    assert flagged == {"idle.teen@example.org", "almost@example.org"}
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["almost@example.org", "idle.teen@example.org", "parent@example.org"]
    assert apply_retention(now).flagged == 0  # flagged once, told once

    # Signing in again keeps the account.
    _last_seen(almost_adult, now + DAY)
    assert apply_retention(now + 2 * DAY).cleared == 1
    # Still unused after the grace period: deleted.
    assert apply_retention(now + 29 * DAY).deleted == 0
    result = apply_retention(now + 31 * DAY)
    assert result.deleted == 1
    assert not User.objects.filter(pk=idle_minor.pk).exists()
    assert User.objects.filter(pk__in=[busy_minor.pk, idle_adult.pk, almost_adult.pk]).count() == 3


@pytest.mark.django_db
def test_command_and_beat_task_run_it(territory_a: Territory) -> None:
    idle = make_learner("idle.teen@example.org", just_turned(14), territory_a)
    _last_seen(idle, timezone.now() - 400 * DAY)
    out = StringIO()
    call_command("flag_inactive_minors", stdout=out)
    assert "flagged=1" in out.getvalue()
    assert flag_inactive_minors() == {"flagged": 0, "cleared": 0, "deleted": 0}
