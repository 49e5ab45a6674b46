"""The guardian's link: signed, expiring, and voided by a new nonce."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from shared_apps.guardians.models import GuardianConsent

SALT = "guardians.consent-link"


class InvalidLink(Exception):
    """Expired, tampered with, or replaced by a newer link."""


def make_token(consent: GuardianConsent) -> str:
    return signing.dumps({"c": consent.pk, "n": consent.nonce}, salt=SALT)


def consent_from_token(token: str, *, for_update: bool = False) -> GuardianConsent:
    max_age = settings.GUARDIAN_LINK_MAX_AGE_DAYS * 86400
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidLink from error
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        raise InvalidLink
    queryset = GuardianConsent.objects.select_related("user")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    consent = queryset.filter(pk=payload["c"], nonce=str(payload.get("n"))).first()
    if consent is None:
        raise InvalidLink
    return consent
