"""Reads: is an account restricted, and its consent record."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import User
from shared_apps.guardians.ages import age_on
from shared_apps.guardians.models import AgeRecord, GuardianConsent

_CACHE_ATTR = "_guardians_restricted"


def _restricted_by_id(user_id: int) -> bool:
    record = (
        AgeRecord.objects.filter(user_id=user_id)
        .annotate(
            consented=Exists(
                GuardianConsent.objects.filter(
                    user_id=OuterRef("user_id"), status=GuardianConsent.Status.CONFIRMED
                )
            )
        )
        .first()
    )
    if record is None:
        # Accounts made before ages were asked, and staff made by provisioning.
        return False
    if age_on(record.birth_year, record.birth_month, timezone.localdate()) >= record.consent_age:
        return False
    return not record.consented


def is_restricted(user: Any) -> bool:
    """True while the account belongs to someone below their digital consent age
    whose guardian has not confirmed (or has withdrawn) consent.

    A restricted account may browse, save and follow, but nothing of it is shown
    publicly: no public badge pages, no share links, no optional profile data. Every
    place that publishes or shares something of a person asks this. Accepts an account
    or an account id (awards hold plain ids); anonymous visitors are not restricted.
    """
    if user is None:
        return False
    if isinstance(user, int):
        return _restricted_by_id(user)
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _restricted_by_id(user.pk)
        setattr(user, _CACHE_ATTR, cached)
    return bool(cached)


def forget_cached(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def age_record_of(user: Any) -> AgeRecord | None:
    return AgeRecord.objects.filter(user_id=user.pk).first()


def consent_of(user: Any) -> GuardianConsent | None:
    return GuardianConsent.objects.filter(user_id=user.pk).first()


def needs_consent(record: AgeRecord | None) -> bool:
    """Below the consent age today (whatever the guardian said)."""
    if record is None:
        return False
    return age_on(record.birth_year, record.birth_month, timezone.localdate()) < record.consent_age


def is_restricted_recipient(user_id: int | None, email: str) -> bool:
    """For awards: the recipient is known by account id, or (awarded before they had
    an account) only by address."""
    if user_id is None:
        found = User.objects.filter(email=email.strip().lower()).values_list("pk", flat=True)
        user_id = found.first()
        if user_id is None:
            return False
    return _restricted_by_id(user_id)


class SharingRestricted(Exception):
    """A restricted account tried to make something public."""


RESTRICTED_MESSAGE = _(
    "A parent or guardian must confirm on your account page before you can share this."
)


ADULT_AGE = 18


def public_name(user_id: int | None) -> str:
    """The name a public page may show for this account, or "".

    The rule (README, "People have names"): a name is public only on a page its owner
    chose to share (the caller checks that), only once the owner is an adult by the
    year and month of birth they gave, and only if they gave a name. Minors' names
    are never public, not even with a guardian's consent (that consent is for sharing
    the badge, not for naming the child); accounts whose age is unknown get no name.
    """
    if user_id is None:
        return ""

    row = (
        User.objects.filter(pk=user_id, age_record__isnull=False)
        .values_list("display_name", "age_record__birth_year", "age_record__birth_month")
        .first()
    )
    if row is None or not row[0]:
        return ""
    name, year, month = row
    return str(name) if age_on(year, month, timezone.localdate()) >= ADULT_AGE else ""
