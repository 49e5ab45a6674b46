"""Data-rights handlers of the public schema's own records (the account, its age and
consent, the audit log, outbound email, sessions): what each holds about an account and
how it is erased (shared_apps.accounts.data_rights). Every other app registers its own
handlers in its AppConfig.ready() (backpack, onboarding, notifications, badges,
catalogue, playlists)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.db.models import Q

from shared_apps.accounts import data_rights
from shared_apps.accounts.models import Membership
from shared_apps.audit.models import AuditEntry
from shared_apps.guardians.models import AgeRecord, GuardianConsent
from shared_apps.ops.models import OutboundEmail

# ---- public schema ------------------------------------------------------------------


def export_account(user: Any) -> dict[str, Any]:
    return {
        "emails": data_rights.account_emails(user),
        "memberships": [
            {"territory": slug, "role": role, "since": created.isoformat()}
            for slug, role, created in Membership.objects.filter(user=user).values_list(
                "territory__slug", "role", "created_at"
            )
        ],
    }


def export_age(user: Any) -> dict[str, Any] | None:
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


def erase_audit(user: Any) -> None:
    """Audit entries stay (they record what staff did) but lose the person's id."""

    for entry in AuditEntry.objects.filter(details__user_id=user.pk):
        entry.details = {**entry.details, "user_id": None}
        entry.save(update_fields=["details"])
    AuditEntry.objects.filter(target_type="accounts.user", target_id=str(user.pk)).update(
        target_id=""
    )


def erase_outbound_email(user: Any) -> None:
    """Sent and unsent messages to or about the person (sign-in links, consent)."""

    query = Q()
    for email in data_rights.account_emails(user):
        query |= Q(to__contains=[email]) | Q(body__icontains=email)
    if query:
        OutboundEmail.objects.filter(query).delete()


def erase_sessions(user: Any) -> None:
    """The person's sessions in the current schema (network or territory)."""

    target = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == target
    ]
    Session.objects.filter(pk__in=stale).delete()


# ---- each territory's schema: sessions here; the feature apps register their own -----
# (tenant_apps.badges.data_rights, tenant_apps.catalogue.data_rights, ...)


def register_all() -> None:
    public, territory = data_rights.PUBLIC, data_rights.TERRITORY
    data_rights.register("account", scope=public, exporter=export_account)
    data_rights.register("age_and_consent", scope=public, exporter=export_age)
    data_rights.register("audit", scope=public, eraser=erase_audit)
    data_rights.register("outbound_email", scope=public, eraser=erase_outbound_email)
    data_rights.register("network_sessions", scope=public, eraser=erase_sessions)
    data_rights.register("sessions", scope=territory, eraser=erase_sessions)
