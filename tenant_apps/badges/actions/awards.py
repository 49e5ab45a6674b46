"""Awards: one or many at once (status list slots, signed credentials, meta badges),
and revocation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts import footprints
from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.backpack.actions import index_awards
from shared_apps.core.pagecache import public_content_changed
from shared_apps.notifications import actions as notifications
from shared_apps.notifications.kinds import BADGE_AWARDED
from tenant_apps.badges import documents, identity, signing
from tenant_apps.badges.models import (
    Award,
    BadgeClass,
    Issuer,
    StatusList,
)
from tenant_apps.badges.statuslist import empty_bits, pick_free_indices, with_bit
from tenants.models import Territory


class AwardError(Exception):
    """An award that cannot be made; the message is for people."""


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None = None


def recipient_for_user(user: User) -> Recipient:
    return Recipient(email=identity.normalise_email(user.email), user_id=user.pk)


def _user_ids_by_email(emails: Iterable[str]) -> dict[str, int]:
    return {
        email.lower(): pk
        for email, pk in User.objects.filter(email__in=list(emails), is_active=True).values_list(
            "email", "pk"
        )
    }


def _status_slots(issuer: Issuer, count: int) -> list[tuple[StatusList, int]]:
    """Free revocation-list slots for ``count`` awards, the list rows locked."""
    slots: list[tuple[StatusList, int]] = []
    lists = list(StatusList.objects.select_for_update().filter(issuer=issuer).order_by("number"))
    for status_list in lists:
        used = Award.objects.filter(status_list=status_list).values_list("status_index", flat=True)
        used_list = list(used)
        free = max(0, len(status_list.bits) * 8 - len(used_list))
        take = min(free, count - len(slots))
        if take:
            slots += [(status_list, i) for i in pick_free_indices(used_list, take)]
        if len(slots) == count:
            return slots
    while len(slots) < count:
        status_list = StatusList.objects.create(
            issuer=issuer, number=(lists[-1].number + 1) if lists else 1, bits=empty_bits()
        )
        lists.append(status_list)
        take = min(len(status_list.bits) * 8, count - len(slots))
        slots += [(status_list, i) for i in pick_free_indices([], take)]
    return slots


def _sign_status_list(territory: Territory, status_list: StatusList, now: datetime) -> None:
    unsigned = documents.status_list_credential(territory, status_list, valid_from=now)
    status_list.credential = signing.sign_document(
        territory, status_list.issuer, unsigned, created=now
    )
    status_list.save(update_fields=["credential", "updated_at"])


def _index_on_commit(territory: Territory, award_ids: list[int]) -> None:
    territory_id = territory.pk
    transaction.on_commit(lambda: index_awards(territory_id=territory_id, award_ids=award_ids))
    # Award counts order the home page's badges (a cached fragment).
    public_content_changed()


@transaction.atomic
def award_many(
    *,
    territory: Territory,
    badge_class: BadgeClass,
    recipients: Sequence[Recipient],
    source: str,
    acting_user: Any = None,
    evidence_url: str = "",
    evidence_narrative: str = "",
    issued_on: datetime | None = None,
    expires_on: datetime | None = None,
    skip_held: bool = True,
    depth: int = 0,
) -> list[Award]:
    """Award a badge to many people at once: one transaction, one signing batch.

    People who already hold the badge (not revoked) are skipped. Returns the new awards.
    """
    if badge_class.is_archived:
        raise AwardError(_("This badge is archived and can no longer be awarded."))
    now = timezone.now()
    issued_on = issued_on or now
    if expires_on is None and badge_class.expires_after_days:
        expires_on = issued_on + timedelta(days=badge_class.expires_after_days)
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        email = identity.normalise_email(recipient.email)
        unique.setdefault(email, Recipient(email=email, user_id=recipient.user_id))
    held = set(
        Award.objects.filter(
            badge_class=badge_class, revoked_at__isnull=True, recipient_email__in=list(unique)
        ).values_list("recipient_email", flat=True)
    )
    if held and not skip_held:
        raise AwardError(_("This person already holds this badge."))
    todo = [recipient for email, recipient in unique.items() if email not in held]
    if not todo:
        return []
    known = _user_ids_by_email(r.email for r in todo if r.user_id is None)
    issuer = badge_class.issuer
    slots = _status_slots(issuer, len(todo))
    awards = []
    for recipient, (status_list, index) in zip(todo, slots, strict=True):
        salt = identity.new_salt()
        awards.append(
            Award(
                uuid=uuid.uuid4(),
                badge_class=badge_class,
                recipient_email=recipient.email,
                recipient_user_id=recipient.user_id or known.get(recipient.email),
                recipient_salt=salt,
                recipient_hash=identity.hash_identity(recipient.email, salt),
                issued_on=issued_on,
                expires_on=expires_on,
                evidence_url=evidence_url,
                evidence_narrative=evidence_narrative,
                source=source,
                status_list=status_list,
                status_index=index,
                awarded_by_user_id=getattr(acting_user, "pk", None),
            )
        )
    unsigned = [
        documents.ob3_credential(territory, award, award.status_list, award.status_index)
        for award in awards
    ]
    signed = signing.sign_documents(territory, issuer, unsigned, created=now)
    for award, credential in zip(awards, signed, strict=True):
        award.credential = credential
    for status_list in {id(s): s for s, _i in slots}.values():
        if not status_list.credential:
            _sign_status_list(territory, status_list, now)
    try:
        with transaction.atomic():
            Award.objects.bulk_create(awards)
            # bulk_create sends no post_save: say who now has rows here ourselves.
            footprints.note(
                [a.recipient_user_id for a in awards] + [a.awarded_by_user_id for a in awards],
                territory.pk,
            )
    except IntegrityError as exc:
        # Someone else awarded the same person in the meantime.
        raise AwardError(_("This person already holds this badge.")) from exc
    record(
        actor=acting_user,
        action=AuditEvent.BADGES_AWARDED,
        territory=territory,
        target=badge_class,
        details={"count": len(awards), "source": source},
    )
    created = list(Award.objects.filter(uuid__in=[a.uuid for a in awards]))
    _index_on_commit(territory, [award.pk for award in created])
    _notify_awarded(territory, badge_class, created)
    if badge_class.meta_badges.filter(is_archived=False).exists():
        for recipient in todo:
            _award_meta_badges(territory, badge_class, recipient, depth=depth + 1)
    return created


def _notify_awarded(territory: Territory, badge_class: BadgeClass, awards: list[Award]) -> None:
    """Tell each recipient with an account (in the app and by email, as they chose)."""
    by_id = User.objects.in_bulk([a.recipient_user_id for a in awards if a.recipient_user_id])
    for award in awards:
        recipient = by_id.get(award.recipient_user_id or 0)
        if recipient is None:
            continue
        notifications.notify(
            user=recipient,
            kind=BADGE_AWARDED,
            territory=territory,
            params={"badge": badge_class.name},
            path=reverse("badges:award", args=[award.uuid]),
        )


def award_badge(
    *,
    territory: Territory,
    badge_class: BadgeClass,
    recipient: Recipient,
    source: str,
    acting_user: Any = None,
    evidence_url: str = "",
    evidence_narrative: str = "",
    issued_on: datetime | None = None,
    expires_on: datetime | None = None,
) -> Award:
    """Award a badge to one person (refused if they already hold it)."""
    awards = award_many(
        territory=territory,
        badge_class=badge_class,
        recipients=[recipient],
        source=source,
        acting_user=acting_user,
        evidence_url=evidence_url,
        evidence_narrative=evidence_narrative,
        issued_on=issued_on,
        expires_on=expires_on,
        skip_held=False,
    )
    return awards[0]


def holds(badge_class: BadgeClass, email: str) -> bool:
    now = timezone.now()
    return (
        Award.objects.filter(
            badge_class=badge_class,
            recipient_email=identity.normalise_email(email),
            revoked_at__isnull=True,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=now))
        .exists()
    )


def _award_meta_badges(
    territory: Territory, earned: BadgeClass, recipient: Recipient, depth: int
) -> None:
    """Award every meta badge whose required set the recipient now completes."""
    if depth > 5:
        return
    now = timezone.now()
    for meta in earned.meta_badges.filter(is_archived=False).prefetch_related("required_badges"):
        required = list(meta.required_badges.all())
        held_ids = set(
            Award.objects.filter(
                recipient_email=recipient.email,
                revoked_at__isnull=True,
                badge_class__in=required,
            )
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=now))
            .values_list("badge_class_id", flat=True)
        )
        if len(held_ids) < len(required) or holds(meta, recipient.email):
            continue
        award_many(
            territory=territory,
            badge_class=meta,
            recipients=[recipient],
            source=Award.Source.META,
            depth=depth,
            evidence_narrative=_("Holds all of: %(badges)s")
            % {"badges": ", ".join(b.name for b in required)},
        )


@transaction.atomic
def revoke_award(*, territory: Territory, award: Award, reason: str, acting_user: Any) -> Award:
    """Revoke: the hosted assertion answers "revoked" (410) and the status list bit is set."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.revoked_at is not None:
        return award
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why the badge is revoked.")})
    now = timezone.now()
    award.revoked_at = now
    award.revocation_reason = reason
    award.save(update_fields=["revoked_at", "revocation_reason"])
    status_list = StatusList.objects.select_for_update().get(pk=award.status_list_id)
    status_list.bits = with_bit(bytes(status_list.bits), award.status_index, True)
    status_list.save(update_fields=["bits", "updated_at"])
    _sign_status_list(territory, status_list, now)
    record(
        actor=acting_user,
        action=AuditEvent.BADGES_AWARD_REVOKED,
        territory=territory,
        target=award,
        details={"badge": award.badge_class.slug},
    )
    _index_on_commit(territory, [award.pk])
    return award
