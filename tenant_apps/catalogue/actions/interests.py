"""Interests: the territory's taxonomy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.pagecache import public_content_changed
from tenant_apps.catalogue.actions.activities import _refresh
from tenant_apps.catalogue.indexing import remember_interest_words
from tenant_apps.catalogue.models import CatalogueSetup, Interest
from tenants.models import Territory


@transaction.atomic
def save_interest(
    *,
    territory: Territory,
    acting_user: User,
    names: Mapping[str, str],
    position: int,
    is_active: bool,
    interest: Interest | None = None,
) -> Interest:
    cleaned = {code: name.strip() for code, name in names.items() if name and name.strip()}
    if not cleaned:
        raise ValidationError(_("Give the interest a name."))
    if interest is None:
        base = slugify(cleaned.get("en") or next(iter(cleaned.values())))[:40] or "interest"
        slug, n = base, 2
        while Interest.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        interest = Interest(slug=slug)
    interest.names = {**(interest.names or {}), **cleaned}
    interest.position = position
    interest.is_active = is_active
    interest.save()
    remember_interest_words()
    # Interest names are shown by cached page fragments (shared_apps.core.pagecache).
    public_content_changed()
    _refresh(territory, interest.activities.values_list("id", flat=True))
    _interests_reviewed()
    record(
        actor=acting_user,
        action=AuditEvent.INTEREST_SAVED,
        territory=territory,
        target=interest,
        details={"slug": interest.slug, "active": is_active},
    )
    return interest


@transaction.atomic
def adopt_interests(*, territory: Territory, items: Sequence[Mapping[str, Any]]) -> list[int]:
    """Take an interest list from the network (shared_apps.sharedtemplates): each
    ``{"slug", "names"}`` item is offered here, an existing interest of that slug
    gets the list's names (its other names stay). The adoption itself is audited by
    the caller. Returns the interests' ids."""
    touched: list[int] = []
    for position, item in enumerate(items):
        interest = Interest.objects.filter(slug=item["slug"]).first()
        if interest is None:
            interest = Interest(slug=item["slug"], position=position)
        interest.names = {**(interest.names or {}), **item["names"]}
        interest.is_active = True
        interest.save()
        touched.append(interest.pk)
    remember_interest_words()
    affected = (
        Interest.activities.through.objects.filter(interest_id__in=touched)
        .values_list("activity_id", flat=True)
        .distinct()
    )
    _refresh(territory, list(affected))
    _interests_reviewed()
    return touched


def _interests_reviewed() -> None:
    """Note (once) that the territory adapted its interest list: the welcome checklist's
    item reads this, in the territory's schema (tenant_apps.catalogue.checklist)."""
    CatalogueSetup.objects.get_or_create(pk=CatalogueSetup.ONE)
    CatalogueSetup.objects.filter(pk=CatalogueSetup.ONE, interests_reviewed_at__isnull=True).update(
        interests_reviewed_at=timezone.now()
    )
