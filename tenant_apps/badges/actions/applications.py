"""Applications for a badge, with evidence, and their review (through the shared
evidence review, ``tenant_apps.evidence``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared_apps.accounts.models import Membership, User
from shared_apps.audit.events import AuditEvent
from shared_apps.core.evidence import store_evidence_file
from shared_apps.notifications.kinds import EVIDENCE_IMPROVE, EVIDENCE_REJECTED
from tenant_apps.badges.actions.awards import AwardError, award_badge, holds, recipient_for_user
from tenant_apps.badges.models import (
    Application,
    Award,
    BadgeClass,
    Evidence,
)
from tenant_apps.badges.selectors import manageable_badges
from tenant_apps.evidence.review import APPROVE, IMPROVE, REJECT, ReviewAdapter, review
from tenants.models import Territory


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


class ApplicationEvidence(ReviewAdapter[Application]):
    """A badge application in the shared review (``tenant_apps.evidence``): reviewed by
    the staff who manage the badge's issuer; an approval awards the badge in the
    decision's transaction (a refused award refuses the decision), and the award is
    what tells the learner."""

    feedback_required = gettext_lazy("Tell the learner why, so they can act on it.")
    notification_kinds = {IMPROVE: EVIDENCE_IMPROVE, REJECT: EVIDENCE_REJECTED}
    # The stored codes name the resulting status.
    audit_events = {
        APPROVE: AuditEvent.BADGES_APPLICATION_APPROVED,
        IMPROVE: AuditEvent.BADGES_APPLICATION_CHANGES_REQUESTED,
        REJECT: AuditEvent.BADGES_APPLICATION_REJECTED,
    }
    statuses: ClassVar[dict[str, str]] = {
        APPROVE: Application.Status.APPROVED,
        IMPROVE: Application.Status.CHANGES_REQUESTED,
        REJECT: Application.Status.REJECTED,
    }

    def queryset(self) -> QuerySet[Application]:
        return Application.objects.select_related("badge_class")

    def learner_id(self, item: Application) -> int | None:
        return item.applicant_user_id

    def may_review(self, item: Application, *, reviewer: User, membership: Membership) -> bool:
        return manageable_badges(membership).filter(pk=item.badge_class_id).exists()

    def is_pending(self, item: Application) -> bool:
        return item.status == Application.Status.SUBMITTED

    def already_reviewed(self) -> Exception:
        return AwardError(_("This application has already been reviewed."))

    def _applicant(self, item: Application) -> User | None:
        return User.objects.filter(pk=item.applicant_user_id, is_active=True).first()

    def apply(
        self,
        item: Application,
        *,
        decision: str,
        comment: str,
        reviewer: User,
        territory: Territory,
    ) -> None:
        if decision == APPROVE:
            applicant = self._applicant(item)
            if applicant is None:
                raise AwardError(_("The learner's account no longer exists."))
            item.award = award_badge(
                territory=territory,
                badge_class=item.badge_class,
                recipient=recipient_for_user(applicant),
                source=Award.Source.APPLICATION,
                acting_user=reviewer,
            )
        item.status = self.statuses[decision]
        item.reviewer_comment = comment
        item.reviewed_by_user_id = reviewer.pk
        item.reviewed_at = timezone.now()
        item.save()

    def audit_details(self, item: Application) -> dict[str, Any]:
        return {"badge": item.badge_class.slug}

    def notification(self, item: Application) -> tuple[User | None, dict[str, Any], str]:
        return (
            self._applicant(item),
            {"title": item.badge_class.name},
            reverse("badges:application", args=[item.pk]),
        )


APPLICATION_EVIDENCE = ApplicationEvidence()


def review_application(
    *,
    territory: Territory,
    application: Application,
    decision: str,
    comment: str,
    acting_user: User,
) -> Application:
    """decision: "approve" (awards the badge), "improve" (asks for changes) or "reject"."""
    return review(
        adapter=APPLICATION_EVIDENCE,
        item=application,
        territory=territory,
        reviewer=acting_user,
        decision=decision,
        comment=comment,
    )
