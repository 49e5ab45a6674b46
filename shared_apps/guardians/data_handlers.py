"""The data-rights handlers of the apps that existed before the registry
(shared_apps.accounts.data_rights): what each holds about an account, and how it is
erased. Apps written since register their own handlers in their AppConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts import data_rights

ERASED_REASON = "account deleted"


def _emails(user: Any) -> list[str]:
    from allauth.account.models import EmailAddress

    addresses = {user.email.lower()} if user.email else set()
    addresses |= {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return sorted(addresses)


# ---- public schema ------------------------------------------------------------------


def export_account(user: Any) -> dict[str, Any]:
    from shared_apps.accounts.models import Membership

    return {
        "emails": _emails(user),
        "memberships": [
            {"territory": slug, "role": role, "since": created.isoformat()}
            for slug, role, created in Membership.objects.filter(user=user).values_list(
                "territory__slug", "role", "created_at"
            )
        ],
    }


def export_age(user: Any) -> dict[str, Any] | None:
    from shared_apps.guardians.models import AgeRecord, GuardianConsent

    age = AgeRecord.objects.filter(user=user).first()
    consent = GuardianConsent.objects.filter(user=user).first()
    if age is None and consent is None:
        return None
    return {
        "birth_year": age.birth_year if age else None,
        "birth_month": age.birth_month if age else None,
        "consent_age": age.consent_age if age else None,
        "consent_country": age.country if age else None,
        "guardian_consent": consent.status if consent else None,
        "guardian_email": consent.guardian_email if consent else None,
    }


def export_backpack(user: Any) -> list[dict[str, Any]]:
    from shared_apps.backpack.selectors import entries_for

    return [
        {
            "territory": entry.territory.slug,
            "badge": entry.badge_name,
            "issuer": entry.issuer_name,
            "issued_on": entry.issued_on.isoformat(),
            "assertion_url": entry.assertion_url,
            "credential_url": entry.credential_url,
            "public": entry.is_public,
        }
        for entry in entries_for(user)
    ]


def erase_backpack(user: Any) -> None:
    from shared_apps.backpack.models import BackpackEntry, email_digest

    digests = [email_digest(email) for email in _emails(user)]
    BackpackEntry.objects.filter(Q(user=user) | Q(email_digest__in=digests)).delete()


def erase_audit(user: Any) -> None:
    """Audit entries stay (they record what staff did) but lose the person's id."""
    from shared_apps.audit.models import AuditEntry

    for entry in AuditEntry.objects.filter(details__user_id=user.pk):
        entry.details = {**entry.details, "user_id": None}
        entry.save(update_fields=["details"])
    AuditEntry.objects.filter(target_type="accounts.user", target_id=str(user.pk)).update(
        target_id=""
    )


def erase_outbound_email(user: Any) -> None:
    """Sent and unsent messages to or about the person (sign-in links, consent)."""
    from shared_apps.ops.models import OutboundEmail

    query = Q()
    for email in _emails(user):
        query |= Q(to__contains=[email]) | Q(body__icontains=email)
    if query:
        OutboundEmail.objects.filter(query).delete()


def erase_sessions(user: Any) -> None:
    """The person's sessions in the current schema (network or territory)."""
    from django.contrib.sessions.models import Session

    target = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == target
    ]
    Session.objects.filter(pk__in=stale).delete()


def erase_onboarding(user: Any) -> None:
    """Sign-up wizards the person ran keep the territory they created, not the
    person's typed details."""
    from shared_apps.onboarding.models import Signup

    emails = _emails(user)
    for signup in Signup.objects.filter(account=user):
        signup.data = {k: v for k, v in signup.data.items() if k != "administrator"}
        signup.account = None
        signup.save(update_fields=["data", "account", "updated_at"])
    for signup in Signup.objects.filter(territory__isnull=True):
        typed = str(signup.step_data("administrator").get("email", "")).lower()
        if typed and typed in emails:
            signup.delete()


def refuse_contract_signatory(user: Any) -> str | None:
    from shared_apps.onboarding.models import AgreementAcceptance

    if AgreementAcceptance.objects.filter(user=user).exists():
        return str(
            _(
                "You accepted a territory's terms on its behalf. Ask the platform team "
                "to transfer them before deleting your account."
            )
        )
    return None


# ---- each territory's schema ---------------------------------------------------------


def export_badges(user: Any) -> dict[str, Any] | None:
    from django.db import connection

    from tenant_apps.badges import documents
    from tenant_apps.badges.selectors import applications_of_user, awards_of_user

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
    from django.db import connection

    from tenant_apps.badges import actions, identity
    from tenant_apps.badges.models import Application, Award, BadgeClass, ClaimCode, ClaimCodeUse

    territory = connection.tenant  # type: ignore[attr-defined]
    emails = _emails(user)
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


def export_catalogue(user: Any) -> dict[str, Any] | None:
    from tenant_apps.catalogue.models import InterestedLearner, ProviderStaff, SavedActivity

    saved = list(
        SavedActivity.objects.filter(user_id=user.pk).values_list("activity__title", "created_at")
    )
    interested = list(
        InterestedLearner.objects.filter(user_id=user.pk).values_list(
            "activity__title", "share_contact", "created_at"
        )
    )
    staff = list(
        ProviderStaff.objects.filter(user_id=user.pk).values_list("provider__name", "role")
    )
    if not (saved or interested or staff):
        return None
    return {
        "saved": [{"activity": t, "saved_at": c.isoformat()} for t, c in saved],
        "interested": [
            {"activity": t, "share_contact": s, "at": c.isoformat()} for t, s, c in interested
        ],
        "provider_staff": [{"provider": p, "role": r} for p, r in staff],
    }


def erase_catalogue(user: Any) -> None:
    from tenant_apps.catalogue.models import InterestedLearner, ProviderStaff, SavedActivity

    SavedActivity.objects.filter(user_id=user.pk).delete()
    InterestedLearner.objects.filter(user_id=user.pk).delete()
    ProviderStaff.objects.filter(user_id=user.pk).delete()


def register_all() -> None:
    public, territory = data_rights.PUBLIC, data_rights.TERRITORY
    data_rights.register("account", scope=public, exporter=export_account)
    data_rights.register("age_and_consent", scope=public, exporter=export_age)
    data_rights.register("backpack", scope=public, exporter=export_backpack, eraser=erase_backpack)
    data_rights.register("audit", scope=public, eraser=erase_audit)
    data_rights.register("outbound_email", scope=public, eraser=erase_outbound_email)
    data_rights.register("onboarding", scope=public, eraser=erase_onboarding)
    data_rights.register("network_sessions", scope=public, eraser=erase_sessions)
    data_rights.register("sessions", scope=territory, eraser=erase_sessions)
    data_rights.register("badges", scope=territory, exporter=export_badges, eraser=erase_badges)
    data_rights.register(
        "catalogue", scope=territory, exporter=export_catalogue, eraser=erase_catalogue
    )
    data_rights.register_refusal(refuse_contract_signatory)
