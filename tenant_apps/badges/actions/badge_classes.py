"""Badge classes: create, update (image, required badges), archive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.pagecache import public_content_changed
from tenant_apps.badges.images import BadgeImage
from tenant_apps.badges.models import (
    BadgeClass,
    ClaimCode,
    Issuer,
)
from tenants.models import Territory


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
        action=AuditEvent.BADGES_BADGE_CREATED,
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
        action=AuditEvent.BADGES_BADGE_UPDATED,
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
        action=AuditEvent.BADGES_BADGE_ARCHIVED,
        territory=territory,
        target=badge,
        details={"slug": badge.slug},
    )
