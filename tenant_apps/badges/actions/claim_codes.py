"""Claim codes: shared or one-use codes a learner types to get a badge."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts import footprints
from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from tenant_apps.badges.actions.awards import AwardError, award_badge, holds, recipient_for_user
from tenant_apps.badges.models import (
    Award,
    BadgeClass,
    ClaimCode,
    ClaimCodeUse,
)
from tenants.models import Territory

# No 0/O, 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@transaction.atomic
def create_claim_codes(
    *,
    territory: Territory,
    badge_class: BadgeClass,
    valid_from: datetime,
    valid_until: datetime,
    label: str = "",
    max_uses: int | None = None,
    single_use_count: int = 0,
    acting_user: Any,
) -> list[ClaimCode]:
    """One shared code (optionally limited in uses), or a batch of one-use codes."""
    if valid_until <= valid_from:
        raise ValidationError({"valid_until": _("The end must be after the start.")})
    if badge_class.is_archived:
        raise AwardError(_("This badge is archived and can no longer be awarded."))
    common = {
        "badge_class": badge_class,
        "label": label.strip(),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "created_by_user_id": getattr(acting_user, "pk", None),
    }
    if single_use_count:
        if not 1 <= single_use_count <= 1000:
            raise ValidationError({"single_use_count": _("Make between 1 and 1000 codes.")})
        batch = uuid.uuid4()
        codes = ClaimCode.objects.bulk_create(
            ClaimCode(code=new_code(), single_use=True, max_uses=1, batch=batch, **common)
            for _i in range(single_use_count)
        )
        footprints.note([common["created_by_user_id"]], territory.pk)
    else:
        codes = [ClaimCode.objects.create(code=new_code(), max_uses=max_uses, **common)]
    record(
        actor=acting_user,
        action=AuditEvent.BADGES_CLAIM_CODES_CREATED,
        territory=territory,
        target=badge_class,
        details={"count": len(codes), "single_use": bool(single_use_count), "max_uses": max_uses},
    )
    return codes


@transaction.atomic
def claim_with_code(*, territory: Territory, code: str, user: User) -> Award:
    """A signed-in learner claims the badge of a code (refusals say why)."""
    claim = (
        ClaimCode.objects.select_for_update()
        .select_related("badge_class")
        .filter(code=normalise_code(code))
        .first()
    )
    now = timezone.now()
    if claim is None or not claim.is_active:
        raise AwardError(_("This code is not valid. Check it and try again."))
    if now < claim.valid_from:
        raise AwardError(_("This code cannot be used yet."))
    if now >= claim.valid_until:
        raise AwardError(_("This code has expired."))
    if claim.max_uses is not None and claim.use_count >= claim.max_uses:
        raise AwardError(_("This code has already been used as many times as allowed."))
    if ClaimCodeUse.objects.filter(claim_code=claim, user_id=user.pk).exists() or holds(
        claim.badge_class, user.email
    ):
        raise AwardError(_("You already hold this badge."))
    award = award_badge(
        territory=territory,
        badge_class=claim.badge_class,
        recipient=recipient_for_user(user),
        source=Award.Source.CLAIM_CODE,
    )
    ClaimCodeUse.objects.create(claim_code=claim, user_id=user.pk, award=award)
    claim.use_count += 1
    claim.save(update_fields=["use_count"])
    return award


@transaction.atomic
def deactivate_claim_code(*, territory: Territory, claim: ClaimCode, acting_user: Any) -> None:
    claim.is_active = False
    claim.save(update_fields=["is_active"])
    record(
        actor=acting_user,
        action=AuditEvent.BADGES_CLAIM_CODE_DEACTIVATED,
        territory=territory,
        target=claim,
        details={},
    )
