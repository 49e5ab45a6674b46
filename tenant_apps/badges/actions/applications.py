"""Applications for a badge, with evidence, and their review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.evidence import store_evidence_file
from shared_apps.notifications import actions as notifications
from shared_apps.notifications.kinds import EVIDENCE_IMPROVE, EVIDENCE_REJECTED
from tenant_apps.badges.actions.awards import AwardError, award_badge, holds, recipient_for_user
from tenant_apps.badges.models import (
    Application,
    Award,
    BadgeClass,
    Evidence,
)
from tenants.models import Territory

# The audit event of each review decision (the stored codes name the resulting status).
REVIEW_EVENTS = {
    "approve": AuditEvent.BADGES_APPLICATION_APPROVED,
    "improve": AuditEvent.BADGES_APPLICATION_CHANGES_REQUESTED,
    "reject": AuditEvent.BADGES_APPLICATION_REJECTED,
}


@dataclass(frozen=True)
class EvidenceInput:
    note: str = ""
    url: str = ""
    file: Any = None  # a checked upload (see forms), stored privately
    content_type: str = ""


@transaction.atomic
def apply_for_badge(
    *, badge_class: BadgeClass, user: User, statement: str, evidence: Sequence[EvidenceInput]
) -> Application:
    if badge_class.is_archived or not badge_class.accepts_applications:
        raise AwardError(_("This badge does not take applications."))
    if holds(badge_class, user.email):
        raise AwardError(_("You already hold this badge."))
    if Application.objects.filter(
        badge_class=badge_class, applicant_user_id=user.pk, status__in=Application.OPEN_STATUSES
    ).exists():
        raise AwardError(_("You already have an open application for this badge."))
    application = Application.objects.create(
        badge_class=badge_class, applicant_user_id=user.pk, statement=statement.strip()
    )
    _add_evidence(application, evidence)
    return application


def _add_evidence(application: Application, evidence: Sequence[EvidenceInput]) -> None:
    for item in evidence:
        if not (item.note or item.url or item.file):
            continue
        row = Evidence(
            application=application, note=item.note, url=item.url, content_type=item.content_type
        )
        if item.file is not None:
            store_evidence_file(row.file, item.file, content_type=item.content_type)
        row.save()


@transaction.atomic
def resubmit_application(
    *, application: Application, user: User, statement: str, evidence: Sequence[EvidenceInput]
) -> Application:
    """The learner improves an application after being asked to."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_user_id != user.pk:
        raise AwardError(_("This is not your application."))
    if application.status != Application.Status.CHANGES_REQUESTED:
        raise AwardError(_("This application is not waiting for changes."))
    application.statement = statement.strip()
    application.status = Application.Status.SUBMITTED
    application.save(update_fields=["statement", "status", "updated_at"])
    _add_evidence(application, evidence)
    return application


@transaction.atomic
def review_application(
    *,
    territory: Territory,
    application: Application,
    decision: str,
    comment: str,
    acting_user: User,
) -> Application:
    """decision: "approve" (awards the badge), "improve" (asks for changes) or "reject"."""
    application = (
        Application.objects.select_for_update().select_related("badge_class").get(pk=application.pk)
    )
    if application.status != Application.Status.SUBMITTED:
        raise AwardError(_("This application has already been reviewed."))
    if decision in ("improve", "reject") and not comment.strip():
        raise ValidationError({"comment": _("Tell the learner why, so they can act on it.")})
    applicant = User.objects.filter(pk=application.applicant_user_id, is_active=True).first()
    if decision == "approve":
        if applicant is None:
            raise AwardError(_("The learner's account no longer exists."))
        award = award_badge(
            territory=territory,
            badge_class=application.badge_class,
            recipient=recipient_for_user(applicant),
            source=Award.Source.APPLICATION,
            acting_user=acting_user,
        )
        application.award = award
        application.status = Application.Status.APPROVED
    elif decision == "improve":
        application.status = Application.Status.CHANGES_REQUESTED
    elif decision == "reject":
        application.status = Application.Status.REJECTED
    else:
        raise ValueError(f"unknown decision {decision!r}")
    application.reviewer_comment = comment.strip()
    application.reviewed_by_user_id = acting_user.pk
    application.reviewed_at = timezone.now()
    application.save()
    if applicant is not None and decision in ("improve", "reject"):
        # An approval tells the learner through the award it makes.
        notifications.notify(
            user=applicant,
            kind=EVIDENCE_IMPROVE if decision == "improve" else EVIDENCE_REJECTED,
            territory=territory,
            params={"title": application.badge_class.name},
            path=reverse("badges:application", args=[application.pk]),
        )
    record(
        actor=acting_user,
        action=REVIEW_EVENTS[decision],
        territory=territory,
        target=application,
        details={"badge": application.badge_class.slug},
    )
    return application
