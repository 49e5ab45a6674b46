"""Retention of minors' accounts: unused for MINOR_INACTIVE_DAYS, an account of someone
under 18 is flagged and the learner (and guardian, if any) told by email; signing in
again clears the flag; still unused MINOR_DELETION_GRACE_DAYS later, it is deleted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from shared_apps.accounts import data_rights
from shared_apps.guardians.ages import MAJORITY_AGE
from shared_apps.guardians.models import AgeRecord, GuardianConsent
from shared_apps.ops.email import queue_email, recipient_language


@dataclass(frozen=True)
class RetentionResult:
    flagged: int
    cleared: int
    deleted: int


def _minor(today: datetime.date) -> Q:
    """Under MAJORITY_AGE today, with the birthday month counted as not yet reached."""
    year = today.year - MAJORITY_AGE
    return Q(birth_year__gt=year) | Q(birth_year=year, birth_month__gte=today.month)


def _notify(record: AgeRecord) -> None:
    user = record.user
    consent = GuardianConsent.objects.filter(user=user).first()
    recipients = [user.email]
    if consent is not None:
        recipients.append(consent.guardian_email)
    for address in recipients:
        queue_email(
            to=[address],
            template_prefix="guardians/email/retention",
            context={
                "learner_email": user.email,
                "days": settings.MINOR_INACTIVE_DAYS,
                "grace": settings.MINOR_DELETION_GRACE_DAYS,
            },
            language=recipient_language(user, fallback=settings.LANGUAGE_CODE),
        )


def apply_retention(now: datetime.datetime | None = None) -> RetentionResult:
    now = now or timezone.now()
    records = AgeRecord.objects.annotate(
        last_seen=Coalesce(F("user__last_login"), F("user__date_joined"))
    )
    # Back in use since the flag: keep the account.
    cleared = records.filter(
        flagged_for_deletion_at__isnull=False, last_seen__gt=F("flagged_for_deletion_at")
    ).update(flagged_for_deletion_at=None)

    inactive_before = now - datetime.timedelta(days=settings.MINOR_INACTIVE_DAYS)
    flagged = 0
    to_flag = records.filter(
        _minor(now.date()), flagged_for_deletion_at__isnull=True, last_seen__lt=inactive_before
    ).select_related("user")
    for record in to_flag:
        with transaction.atomic():
            record.flagged_for_deletion_at = now
            record.save(update_fields=["flagged_for_deletion_at"])
            _notify(record)
        flagged += 1

    grace_before = now - datetime.timedelta(days=settings.MINOR_DELETION_GRACE_DAYS)
    deleted = 0
    due = records.filter(
        flagged_for_deletion_at__lt=grace_before, last_seen__lt=F("flagged_for_deletion_at")
    ).select_related("user")
    for record in due:
        try:
            data_rights.delete_account(record.user, via="retention")
        except data_rights.DeletionRefused:
            continue
        deleted += 1
    return RetentionResult(flagged=flagged, cleared=cleared, deleted=deleted)
