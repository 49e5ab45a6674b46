"""Every change to badges: atomic, audited, side effects (the backpack index) on commit.

Actions take the territory explicitly (resolved at the edge) and run in its schema.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shared_apps.accounts import footprints
from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.core.evidence import store_evidence_file
from shared_apps.core.pagecache import public_content_changed
from shared_apps.notifications import actions as notifications
from shared_apps.notifications.kinds import BADGE_AWARDED, EVIDENCE_IMPROVE, EVIDENCE_REJECTED
from tenant_apps.badges import documents, identity, keys, signing
from tenant_apps.badges.images import BadgeImage
from tenant_apps.badges.models import (
    Application,
    Award,
    BadgeClass,
    ClaimCode,
    ClaimCodeUse,
    Evidence,
    Issuer,
    StatusList,
)
from tenant_apps.badges.statuslist import empty_bits, pick_free_indices, with_bit
from tenants.models import Territory

logger = logging.getLogger(__name__)


class AwardError(Exception):
    """An award that cannot be made; the message is for people."""


# ---- issuers -----------------------------------------------------------------------


def ensure_territory_issuer(territory: Territory) -> Issuer:
    """The territory's own issuer profile, created on first use."""
    issuer = Issuer.objects.filter(kind=Issuer.Kind.TERRITORY).first()
    if issuer is not None:
        return issuer
    try:
        with transaction.atomic():
            return Issuer.objects.create(
                kind=Issuer.Kind.TERRITORY,
                slug=territory.slug,
                name=territory.name,
                url=territory.url,
                email=f"badges@{territory.host}",
            )
    except IntegrityError:
        return Issuer.objects.get(kind=Issuer.Kind.TERRITORY)


def ensure_provider_issuer(*, territory: Territory, provider: Any, acting_user: Any) -> Issuer:
    """The issuer profile of a verified provider, created from its catalogue profile
    when it has none (each verified provider is an issuer; its staff manage its
    badges). Called when the provider is verified; idempotent."""
    existing = Issuer.objects.filter(provider_id=provider.pk).first()
    if existing is not None:
        return existing
    base = slugify(provider.slug or provider.name)[:54] or "provider"
    slug, n = base, 2
    while Issuer.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return create_provider_issuer(
        territory=territory,
        name=provider.name,
        # Open Badges 2.0 requires an issuer email: the provider's public one, else a
        # platform address of the territory.
        email=provider.email or f"badges@{territory.host}",
        url=provider.website,
        description=provider.description[:2000],
        slug=slug,
        provider_id=provider.pk,
        acting_user=acting_user,
    )


@transaction.atomic
def ensure_issuers(territory: Territory) -> None:
    """The territory's issuer and one per verified provider, for a territory set up
    before issuers were created at provisioning / verification (tenants.setup hook:
    runs when a territory is provisioned and from ``ensure_territory_setup``)."""
    from tenant_apps.badges.selectors import verified_providers_without_issuer

    ensure_territory_issuer(territory)
    for provider in verified_providers_without_issuer():
        ensure_provider_issuer(territory=territory, provider=provider, acting_user=None)


@transaction.atomic
def create_provider_issuer(
    *,
    territory: Territory,
    name: str,
    email: str,
    url: str = "",
    description: str = "",
    slug: str = "",
    provider_id: int | None = None,
    acting_user: Any = None,
) -> Issuer:
    """An issuer profile for a verified provider, linked to the catalogue by id."""
    slug = slugify(slug or name)[:60]
    if not slug or Issuer.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This address is already used by another issuer.")})
    issuer = Issuer(
        kind=Issuer.Kind.PROVIDER,
        slug=slug,
        name=name.strip(),
        email=email,
        url=url,
        description=description,
        provider_id=provider_id,
    )
    issuer.full_clean()
    issuer.save()
    record(
        actor=acting_user,
        action="badges.issuer_created",
        territory=territory,
        target=issuer,
        details={"slug": slug, "kind": issuer.kind},
    )
    return issuer


@transaction.atomic
def update_issuer(
    *,
    territory: Territory,
    issuer: Issuer,
    name: str,
    email: str,
    url: str,
    description: str,
    acting_user: Any,
) -> Issuer:
    issuer.name, issuer.email, issuer.url, issuer.description = (
        name.strip(),
        email,
        url,
        description,
    )
    issuer.full_clean()
    issuer.save()
    public_content_changed()
    record(
        actor=acting_user,
        action="badges.issuer_updated",
        territory=territory,
        target=issuer,
        details={"slug": issuer.slug},
    )
    return issuer


@transaction.atomic
def rotate_issuer_key(*, territory: Territory, issuer: Issuer, acting_user: Any) -> str:
    """New signing key; the old public key stays in the DID document. Returns the key id."""
    key = keys.rotate_key(issuer)
    record(
        actor=acting_user,
        action="badges.key_rotated",
        territory=territory,
        target=issuer,
        details={"key_id": key.key_id},
    )
    return key.key_id


# ---- badge classes -----------------------------------------------------------------


def _unique_badge_slug(name: str) -> str:
    base = slugify(name)[:70] or "badge"
    slug, n = base, 2
    while BadgeClass.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_image(badge: BadgeClass, image: BadgeImage) -> None:
    extension = "png" if image.kind == "png" else "svg"
    badge.image.save(f"badge.{extension}", ContentFile(image.original), save=False)
    badge.image_png.save("badge.png", ContentFile(image.png), save=False)
    badge.image_source = {
        "png": BadgeClass.ImageSource.PNG,
        "svg": BadgeClass.ImageSource.SVG,
        "template": BadgeClass.ImageSource.TEMPLATE,
    }[image.kind]


def _check_required(badge: BadgeClass, required: Sequence[BadgeClass]) -> None:
    if any(other.pk == badge.pk for other in required):
        raise ValidationError({"required_badges": _("A badge cannot require itself.")})
    # No cycles: a required badge must not (transitively) require this one.
    pending, seen = [other.pk for other in required], set()
    while pending:
        pk = pending.pop()
        if pk in seen:
            continue
        seen.add(pk)
        if badge.pk is not None and pk == badge.pk:
            raise ValidationError(
                {"required_badges": _("These badges would require each other in a circle.")}
            )
        pending.extend(
            BadgeClass.required_badges.through.objects.filter(from_badgeclass_id=pk).values_list(
                "to_badgeclass_id", flat=True
            )
        )


@dataclass
class BadgeClassData:
    name: str
    description: str
    criteria_narrative: str
    criteria_requirements: list[str]
    tags: list[str]
    alignments: list[dict[str, str]]
    expires_after_days: int | None
    accepts_applications: bool
    required_badges: list[BadgeClass]


@transaction.atomic
def create_badge_class(
    *,
    territory: Territory,
    issuer: Issuer,
    data: BadgeClassData,
    image: BadgeImage,
    acting_user: Any,
    slug: str = "",
) -> BadgeClass:
    badge = BadgeClass(
        issuer=issuer,
        slug=slugify(slug)[:80] if slug else _unique_badge_slug(data.name),
        created_by_user_id=getattr(acting_user, "pk", None),
    )
    _apply(badge, data)
    _set_image(badge, image)
    badge.full_clean(exclude=["image", "image_png"])
    badge.save()
    _check_required(badge, data.required_badges)
    badge.required_badges.set(data.required_badges)
    # Public badges are shown by cached page fragments (the home page's section).
    public_content_changed()
    record(
        actor=acting_user,
        action="badges.badge_created",
        territory=territory,
        target=badge,
        details={"slug": badge.slug, "issuer": issuer.slug},
    )
    return badge


@transaction.atomic
def update_badge_class(
    *,
    territory: Territory,
    badge: BadgeClass,
    data: BadgeClassData,
    image: BadgeImage | None,
    acting_user: Any,
) -> BadgeClass:
    """Changes apply to the badge's public description; credentials already issued
    keep the copy they were signed with (that is what a signature means)."""
    _apply(badge, data)
    if image is not None:
        _set_image(badge, image)
    badge.full_clean(exclude=["image", "image_png"])
    _check_required(badge, data.required_badges)
    badge.save()
    badge.required_badges.set(data.required_badges)
    public_content_changed()
    record(
        actor=acting_user,
        action="badges.badge_updated",
        territory=territory,
        target=badge,
        details={"slug": badge.slug, "image_changed": image is not None},
    )
    return badge


def _apply(badge: BadgeClass, data: BadgeClassData) -> None:
    badge.name = data.name.strip()
    badge.description = data.description.strip()
    badge.criteria_narrative = data.criteria_narrative.strip()
    badge.criteria_requirements = [r.strip() for r in data.criteria_requirements if r.strip()]
    badge.tags = [t.strip() for t in data.tags if t.strip()][:20]
    badge.alignments = data.alignments
    badge.expires_after_days = data.expires_after_days
    badge.accepts_applications = data.accepts_applications


@transaction.atomic
def archive_badge_class(*, territory: Territory, badge: BadgeClass, acting_user: Any) -> None:
    badge.is_archived = True
    badge.save(update_fields=["is_archived", "updated_at"])
    ClaimCode.objects.filter(badge_class=badge).update(is_active=False)
    public_content_changed()
    record(
        actor=acting_user,
        action="badges.badge_archived",
        territory=territory,
        target=badge,
        details={"slug": badge.slug},
    )


# ---- awards ------------------------------------------------------------------------


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
    from shared_apps.backpack.actions import index_awards

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
        action="badges.awarded",
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
        action="badges.award_revoked",
        territory=territory,
        target=award,
        details={"badge": award.badge_class.slug},
    )
    _index_on_commit(territory, [award.pk])
    return award


# ---- applications and evidence ------------------------------------------------------


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


@transaction.atomic
def review_application(
    *,
    territory: Territory,
    application: Application,
    decision: str,
    comment: str,
    acting_user: User,
) -> Application:
    """decision: "approve" (awards the badge), "improve" (asks for changes) or "reject"."""
    application = (
        Application.objects.select_for_update().select_related("badge_class").get(pk=application.pk)
    )
    if application.status != Application.Status.SUBMITTED:
        raise AwardError(_("This application has already been reviewed."))
    if decision in ("improve", "reject") and not comment.strip():
        raise ValidationError({"comment": _("Tell the learner why, so they can act on it.")})
    applicant = User.objects.filter(pk=application.applicant_user_id, is_active=True).first()
    if decision == "approve":
        if applicant is None:
            raise AwardError(_("The learner's account no longer exists."))
        award = award_badge(
            territory=territory,
            badge_class=application.badge_class,
            recipient=recipient_for_user(applicant),
            source=Award.Source.APPLICATION,
            acting_user=acting_user,
        )
        application.award = award
        application.status = Application.Status.APPROVED
    elif decision == "improve":
        application.status = Application.Status.CHANGES_REQUESTED
    elif decision == "reject":
        application.status = Application.Status.REJECTED
    else:
        raise ValueError(f"unknown decision {decision!r}")
    application.reviewer_comment = comment.strip()
    application.reviewed_by_user_id = acting_user.pk
    application.reviewed_at = timezone.now()
    application.save()
    if applicant is not None and decision in ("improve", "reject"):
        # An approval tells the learner through the award it makes.
        notifications.notify(
            user=applicant,
            kind=EVIDENCE_IMPROVE if decision == "improve" else EVIDENCE_REJECTED,
            territory=territory,
            params={"title": application.badge_class.name},
            path=reverse("badges:application", args=[application.pk]),
        )
    record(
        actor=acting_user,
        action=f"badges.application_{application.status}",
        territory=territory,
        target=application,
        details={"badge": application.badge_class.slug},
    )
    return application


# ---- claim codes -------------------------------------------------------------------

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
        action="badges.claim_codes_created",
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
        action="badges.claim_code_deactivated",
        territory=territory,
        target=claim,
        details={},
    )
