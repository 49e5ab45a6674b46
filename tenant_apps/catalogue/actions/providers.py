"""Providers: registration, edits, verification, suspension and trust, and the
territory role their staff get from it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shared_apps.accounts.actions import ensure_learner_membership, grant_membership
from shared_apps.accounts.models import Membership, User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.pagecache import public_content_changed
from shared_apps.core.text import sanitize_html
from tenant_apps.catalogue import hooks
from tenant_apps.catalogue.actions.activities import _refresh
from tenant_apps.catalogue.models import (
    Provider,
    ProviderStaff,
)
from tenants.models import Territory


def unique_slug(
    name: str, *, taken: Iterable[str] = (), stored: Collection[str] | None = None
) -> str:
    """A slug for ``name`` no provider has. ``stored``: every slug in the database,
    when the caller loaded them (an import names hundreds of providers: one query)."""
    base = slugify(name)[:70] or "provider"
    if stored is None:
        stored = set(Provider.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    existing = set(taken) | set(stored)
    slug, n = base, 2
    while slug in existing:
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def register_provider(
    *,
    territory: Territory,
    user: User,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    languages: Sequence[str] = (),
    logo: File[bytes] | None = None,
) -> Provider:
    """Someone registers their organisation from the territory's site. It waits for
    the territory admin's verification; they become its owner."""
    ensure_learner_membership(user=user, territory=territory)
    provider = Provider(
        name=name.strip(),
        slug=unique_slug(name),
        kind=kind,
        description=sanitize_html(description),
        website=website,
        email=email,
        phone=phone,
        languages=list(languages),
    )
    if logo is not None:
        provider.logo.save(logo.name or "logo", logo, save=False)
    provider.save()
    ProviderStaff.objects.create(provider=provider, user=user, role=ProviderStaff.Role.OWNER)
    record(
        actor=user,
        action=AuditEvent.PROVIDER_REGISTERED,
        territory=territory,
        target=provider,
        details={"provider": provider.slug},
    )
    return provider


@transaction.atomic
def update_provider(
    *,
    provider: Provider,
    territory: Territory,
    acting_user: User,
    name: str,
    kind: str,
    description: str,
    website: str,
    email: str,
    phone: str,
    languages: Sequence[str],
    logo: File[bytes] | None = None,
    remove_logo: bool = False,
) -> Provider:
    renamed = provider.name != name.strip()
    provider.name = name.strip()
    provider.kind = kind
    provider.description = sanitize_html(description)
    provider.website = website
    provider.email = email
    provider.phone = phone
    provider.languages = list(languages)
    if remove_logo and provider.logo:
        provider.logo.delete(save=False)
    if logo is not None:
        provider.logo.save(logo.name or "logo", logo, save=False)
    provider.save()
    # The provider's name and logo are shown by cached page fragments.
    public_content_changed()
    if renamed:
        _refresh(territory, provider.activities.values_list("id", flat=True))
    return provider


# What the audit log says when a provider reaches each status.
STATUS_EVENTS: dict[str, AuditEvent] = {
    Provider.Status.PENDING: AuditEvent.PROVIDER_PENDING,
    Provider.Status.VERIFIED: AuditEvent.PROVIDER_VERIFIED,
    Provider.Status.SUSPENDED: AuditEvent.PROVIDER_SUSPENDED,
}


def _set_provider_status(
    *, provider: Provider, territory: Territory, acting_user: User, status: str, reason: str
) -> Provider:
    previous = provider.status
    provider.status = status
    provider.status_reason = reason.strip()
    if status == Provider.Status.VERIFIED:
        provider.verified_at = timezone.now()
    else:
        provider.trusted = False
    provider.save(update_fields=["status", "status_reason", "verified_at", "trusted", "updated_at"])
    _refresh(territory, provider.activities.values_list("id", flat=True), content_changed=False)
    for staff in provider.staff.select_related("user"):
        sync_staff_role(user=staff.user, territory=territory, acting_user=acting_user)
    record(
        actor=acting_user,
        action=STATUS_EVENTS[status],
        territory=territory,
        target=provider,
        details={"previous": previous, "reason": provider.status_reason},
    )
    return provider


@transaction.atomic
def verify_provider(*, provider: Provider, territory: Territory, acting_user: User) -> Provider:
    """The territory admin confirms the organisation is real: its published
    activities become public and its staff get the provider staff role."""
    provider = _set_provider_status(
        provider=provider,
        territory=territory,
        acting_user=acting_user,
        status=Provider.Status.VERIFIED,
        reason="",
    )
    # A verified provider is a badge issuer: its issuer profile appears with the
    # verification, not on a later page view (badges registers it: catalogue.hooks).
    hooks.provider_verified(territory=territory, provider=provider, acting_user=acting_user)
    return provider


@transaction.atomic
def suspend_provider(
    *, provider: Provider, territory: Territory, acting_user: User, reason: str
) -> Provider:
    """Hide everything of a provider at once (kept, not deleted)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the provider knows what to fix.")})
    return _set_provider_status(
        provider=provider,
        territory=territory,
        acting_user=acting_user,
        status=Provider.Status.SUSPENDED,
        reason=reason,
    )


@transaction.atomic
def set_provider_trusted(
    *, provider: Provider, territory: Territory, acting_user: User, trusted: bool
) -> Provider:
    """Trusted providers publish without review. Only verified ones can be trusted."""
    if trusted and not provider.is_verified:
        raise ValidationError(_("Verify the provider before trusting it."))
    if provider.trusted != trusted:
        provider.trusted = trusted
        provider.save(update_fields=["trusted", "updated_at"])
        record(
            actor=acting_user,
            action=AuditEvent.PROVIDER_TRUSTED if trusted else AuditEvent.PROVIDER_UNTRUSTED,
            territory=territory,
            target=provider,
        )
    return provider


def sync_staff_role(*, user: User, territory: Territory, acting_user: Any = None) -> None:
    """Keep the account's territory role in line with its provider work: staff of a
    verified provider are provider staff; territory admins stay admins; someone who
    no longer works for any verified provider goes back to learner."""
    membership = Membership.objects.filter(user=user, territory=territory).first()
    if membership is not None and membership.role == Membership.Role.TERRITORY_ADMIN:
        return
    works_for_verified = ProviderStaff.objects.filter(
        user=user, provider__status=Provider.Status.VERIFIED
    ).exists()
    if works_for_verified:
        grant_membership(
            user=user,
            territory=territory,
            role=Membership.Role.PROVIDER_STAFF,
            acting_user=acting_user,
        )
    elif membership is not None and membership.role == Membership.Role.PROVIDER_STAFF:
        grant_membership(
            user=user, territory=territory, role=Membership.Role.LEARNER, acting_user=acting_user
        )
