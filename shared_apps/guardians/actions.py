"""Every change to ages and guardian consent: atomic, audited without personal data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from shared_apps.accounts import data_rights
from shared_apps.accounts.footprints import territory_ids_of
from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.digests import email_digest
from shared_apps.guardians.ages import consent_age
from shared_apps.guardians.models import AgeRecord, GuardianConsent, new_nonce
from shared_apps.guardians.selectors import forget_cached, needs_consent
from shared_apps.guardians.tokens import make_token
from shared_apps.notifications import actions as notifications
from shared_apps.notifications import kinds
from shared_apps.ops.email import queue_email
from tenants.branding import email_branding
from tenants.models import Territory

# A guardian's inbox is not a megaphone: one mail a minute, a few in all.
RESEND_INTERVAL = datetime.timedelta(seconds=60)
MAX_SENDS = 10


def record_birth_month(
    *, user: Any, birth_year: int, birth_month: int, territory: Territory | None
) -> AgeRecord:
    """Store the year and month of birth with the consent age of the country where
    the account is made (the network site has no country: the default applies)."""
    country = territory.country.code if territory is not None and territory.country else ""
    age_record = AgeRecord.objects.create(
        user=user,
        birth_year=birth_year,
        birth_month=birth_month,
        country=country,
        consent_age=consent_age(country),
    )
    if needs_consent(age_record):
        # Cannot be turned off: until a guardian confirms, nothing of theirs is public.
        notifications.notify(
            user=user,
            kind=kinds.CONSENT_NEEDED,
            territory=territory,
            params={},
            path=reverse("guardians:account"),
        )
    return age_record


@transaction.atomic
def request_consent(
    *,
    user: Any,
    guardian_email: str,
    build_link: Callable[[str], str],
    language: str,
    territory: Territory | None = None,
) -> None:
    """Ask (or ask again) a guardian to confirm; sends the link by email.

    ``build_link(token)`` makes the absolute URL of the guardian's page (the view
    builds it on the host the learner is on); the email wears ``territory``'s name
    and colours (the network's without one)."""

    address = guardian_email.strip().lower()
    if address == (user.email or "").lower():
        raise ValidationError(
            {"guardian_email": _("Use the address of a parent or guardian, not your own.")}
        )
    now = timezone.now()
    consent = GuardianConsent.objects.select_for_update().filter(user=user).first()
    if consent is None:
        consent = GuardianConsent(user=user, guardian_email=address)
    elif consent.guardian_email != address:
        # Another guardian: links sent to the previous address stop working.
        consent.guardian_email = address
        consent.nonce = new_nonce()
        consent.sent_count = 0
        if consent.status == GuardianConsent.Status.CONFIRMED:
            consent.status = GuardianConsent.Status.PENDING
            consent.confirmed_at = None
    if consent.last_sent_at and now - consent.last_sent_at < RESEND_INTERVAL:
        raise ValidationError({"guardian_email": _("Wait a minute before sending again.")})
    if consent.sent_count >= MAX_SENDS:
        raise ValidationError({"guardian_email": _("Too many messages were sent already.")})
    consent.guardian_digest = email_digest(address)
    consent.sent_count += 1
    consent.last_sent_at = now
    consent.save()
    forget_cached(user)
    queue_email(
        to=[address],
        template_prefix="guardians/email/consent",
        context={
            **_branding(territory, language),
            "link": build_link(make_token(consent)),
            "learner_email": user.email,
            "days": settings.GUARDIAN_LINK_MAX_AGE_DAYS,
        },
        language=language,
    )
    record(actor=user, action=AuditEvent.GUARDIANS_CONSENT_REQUESTED, target=consent)


def _branding(territory: Territory | None, language: str) -> dict[str, Any]:
    with translation.override(language):
        return email_branding(territory)


def send_fresh_links(
    *,
    guardian_email: str,
    build_link: Callable[[str], str],
    language: str,
    territory: Territory | None = None,
) -> int:
    """A guardian whose link expired asks for a new one by typing their address: every
    account that named this address gets a fresh link, sent to that address only (so
    typing someone else's address reveals and achieves nothing). Rate-limited per
    consent like a resend. Returns the number of links sent (never shown)."""

    now = timezone.now()
    sent = 0
    digest = email_digest(guardian_email.strip().lower())
    with transaction.atomic():
        consents = GuardianConsent.objects.select_for_update().filter(guardian_digest=digest)
        for consent in consents.select_related("user"):
            if consent.last_sent_at and now - consent.last_sent_at < RESEND_INTERVAL:
                continue
            consent.last_sent_at = now
            consent.save(update_fields=["last_sent_at"])
            queue_email(
                to=[consent.guardian_email],
                template_prefix="guardians/email/consent",
                context={
                    **_branding(territory, language),
                    "link": build_link(make_token(consent)),
                    "learner_email": consent.user.email,
                    "days": settings.GUARDIAN_LINK_MAX_AGE_DAYS,
                },
                language=language,
            )
            sent += 1
    return sent


@transaction.atomic
def confirm_consent(*, consent: GuardianConsent) -> GuardianConsent:
    consent = GuardianConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.status != GuardianConsent.Status.CONFIRMED:
        consent.status = GuardianConsent.Status.CONFIRMED
        consent.confirmed_at = timezone.now()
        consent.withdrawn_at = None
        consent.save(update_fields=["status", "confirmed_at", "withdrawn_at"])
        record(actor=None, action=AuditEvent.GUARDIANS_CONSENT_CONFIRMED, target=consent)
    return consent


# What each app undoes when a guardian withdraws consent (whatever the learner had made
# public becomes private), registered in the app's AppConfig.ready(), with the scope of
# shared_apps.accounts.data_rights: PUBLIC handlers run once in the public schema (the
# backpack's share pages), TERRITORY ones in every territory that may hold rows about the
# learner (the catalogue: "I'm interested" contacts). Inside withdraw_consent's
# transaction; ``handler(user_id)``.
ConsentWithdrawnHandler = Callable[[int], None]
_withdrawal_handlers: dict[str, list[ConsentWithdrawnHandler]] = {
    data_rights.PUBLIC: [],
    data_rights.TERRITORY: [],
}


def register_consent_withdrawn(handler: ConsentWithdrawnHandler, *, scope: str) -> None:
    """Add ``handler`` for ``scope`` (data_rights.PUBLIC or .TERRITORY); idempotent."""
    handlers = _withdrawal_handlers[scope]
    if handler not in handlers:
        handlers.append(handler)


def _run_withdrawal_handlers(user_id: int) -> None:
    for handler in _withdrawal_handlers[data_rights.PUBLIC]:
        handler(user_id)
    user = User.objects.get(pk=user_id)
    # Only where the learner has rows (the public schema knows them), not every schema.
    for territory in Territory.objects.filter(pk__in=territory_ids_of(user)):
        with tenant_context(territory):
            for handler in _withdrawal_handlers[data_rights.TERRITORY]:
                handler(user_id)


@transaction.atomic
def withdraw_consent(*, consent: GuardianConsent) -> GuardianConsent:
    """The account is restricted again: whatever it had made public is private now."""
    consent = GuardianConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.status == GuardianConsent.Status.CONFIRMED:
        consent.status = GuardianConsent.Status.WITHDRAWN
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["status", "withdrawn_at"])
        _run_withdrawal_handlers(consent.user_id)
        record(actor=None, action=AuditEvent.GUARDIANS_CONSENT_WITHDRAWN, target=consent)
    return consent
