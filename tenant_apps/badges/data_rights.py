"""What the badges of one territory hold about an account, for the data-rights registry
(shared_apps.accounts.data_rights): runs in every territory's schema that may hold rows
about the account. Registered in BadgesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q

from shared_apps.accounts import data_rights
from tenant_apps.badges import actions, documents, identity
from tenant_apps.badges.models import Application, Award, BadgeClass, ClaimCode, ClaimCodeUse
from tenant_apps.badges.selectors import applications_of_user, awards_of_user

ERASED_REASON = "account deleted"


def export_badges(user: Any) -> dict[str, Any] | None:
    territory = connection.tenant  # type: ignore[attr-defined]
    awards = list(awards_of_user(user.pk, user.email).select_related("badge_class__issuer"))
    applications = list(applications_of_user(user.pk).prefetch_related("evidence"))
    if not awards and not applications:
        return None
    return {
        "awards": [
            {
                "badge": award.badge_class.name,
                "issued_on": award.issued_on.isoformat(),
                "revoked": award.is_revoked,
                "ob2_assertion": documents.ob2_assertion(territory, award),
                "ob3_credential": award.credential,
            }
            for award in awards
        ],
        "applications": [
            {
                "badge": application.badge_class.name,
                "status": application.status,
                "statement": application.statement,
                "created_at": application.created_at.isoformat(),
                "evidence": [
                    {"note": e.note, "url": e.url, "file": bool(e.file)}
                    for e in application.evidence.all()
                ],
            }
            for application in applications
        ],
    }


def erase_badges(user: Any) -> None:
    """Awards stay counted (the issuer's record, the badge's totals) but are revoked
    and no longer name anyone: the address, its hash and the signed credential (which
    carries the salted hash) are replaced."""
    territory = connection.tenant  # type: ignore[attr-defined]
    emails = data_rights.account_emails(user)
    awards = Award.objects.filter(Q(recipient_user_id=user.pk) | Q(recipient_email__in=emails))
    for award in awards:
        actions.revoke_award(
            territory=territory, award=award, reason=ERASED_REASON, acting_user=None
        )
        placeholder = f"erased-{award.uuid.hex}@invalid.invalid"
        salt = identity.new_salt()
        Award.objects.filter(pk=award.pk).update(
            recipient_email=placeholder,
            recipient_user_id=None,
            recipient_salt=salt,
            recipient_hash=identity.hash_identity(placeholder, salt),
            credential={},
        )
    for application in Application.objects.filter(applicant_user_id=user.pk):
        for evidence in application.evidence.all():
            if evidence.file:
                evidence.file.delete(save=False)
        application.delete()
    ClaimCodeUse.objects.filter(user_id=user.pk).delete()
    Award.objects.filter(awarded_by_user_id=user.pk).update(awarded_by_user_id=None)
    Application.objects.filter(reviewed_by_user_id=user.pk).update(reviewed_by_user_id=None)
    BadgeClass.objects.filter(created_by_user_id=user.pk).update(created_by_user_id=None)
    ClaimCode.objects.filter(created_by_user_id=user.pk).update(created_by_user_id=None)


def register() -> None:
    data_rights.register(
        "badges", scope=data_rights.TERRITORY, exporter=export_badges, eraser=erase_badges
    )
