"""Code-card accounts: a youth worker makes N accounts for an event and prints their
codes; a learner without an email (or phone) redeems one, sets a passphrase, and may
attach an email later (allauth's email page). Badges awarded to such an account use a
URL identity instead of an email (tenant_apps.badges.identity.recipient_identity)."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.actions import ensure_learner_membership
from shared_apps.accounts.models import User
from shared_apps.accounts.selectors import CARD_EMAIL_DOMAIN
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.guardians.actions import record_birth_month
from shared_apps.guardians.models import CodeCard
from tenants.models import Territory

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed by hand
CODE_LENGTH = 10
MAX_CARDS = 60


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def card_email(code: str) -> str:
    return f"card-{code.lower()}@{CARD_EMAIL_DOMAIN}"


@transaction.atomic
def create_cards(*, territory: Territory, count: int, label: str, acting_user: Any) -> uuid.UUID:
    """Make ``count`` learner accounts of the territory, each with an unusable password
    until its card is redeemed. Returns the batch id (the printable page)."""
    if not 1 <= count <= MAX_CARDS:
        raise ValidationError({"count": _("Between 1 and %(max)s cards.") % {"max": MAX_CARDS}})
    batch = uuid.uuid4()
    for _n in range(count):
        code = new_code()
        while CodeCard.objects.filter(code=code).exists():
            code = new_code()
        user = User.objects.create_user(card_email(code), None)
        ensure_learner_membership(user=user, territory=territory)
        CodeCard.objects.create(
            territory=territory,
            batch=batch,
            label=label,
            code=code,
            user=user,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
    record(
        actor=acting_user,
        action=AuditEvent.GUARDIANS_CODE_CARDS_CREATED,
        territory=territory,
        details={"count": count, "batch": str(batch)},
    )
    return batch


def unredeemed_card(*, territory: Territory, code: str) -> CodeCard | None:
    return (
        CodeCard.objects.select_related("user")
        .filter(territory=territory, code=normalise_code(code), redeemed_at__isnull=True)
        .first()
    )


@transaction.atomic
def redeem_card(
    *, card: CodeCard, passphrase: str, birth_year: int, birth_month: int, territory: Territory
) -> User:
    """The learner takes the account over: a passphrase and their year and month of
    birth (the consent age applies as at sign-up). The code can't be redeemed again."""
    card = CodeCard.objects.select_for_update().select_related("user").get(pk=card.pk)
    if card.redeemed_at is not None:
        raise ValidationError({"code": _("This code was already used.")})
    user = card.user
    validate_password(passphrase, user)
    user.set_password(passphrase)
    user.save(update_fields=["password"])
    record_birth_month(
        user=user, birth_year=birth_year, birth_month=birth_month, territory=territory
    )
    card.redeemed_at = timezone.now()
    card.save(update_fields=["redeemed_at"])
    return user


def authenticate_card(request: Any, *, code: str, passphrase: str) -> User | None:
    """The account of a redeemed card, or None. Goes through allauth's adapter, so the
    same limits on failed attempts apply as to signing in with an email: per card
    account across the network and per client address. Raises ValidationError
    (code ``too_many_login_attempts``) once a limit is reached."""
    user = get_adapter(request).authenticate(
        request, email=card_email(normalise_code(code)), password=passphrase
    )
    return user if isinstance(user, User) else None
