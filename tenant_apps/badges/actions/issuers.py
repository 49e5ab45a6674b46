"""Issuers: the territory's and each verified provider's profile, and their signing keys."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.pagecache import public_content_changed
from tenant_apps.badges import keys
from tenant_apps.badges.models import (
    Issuer,
)
from tenant_apps.badges.selectors import verified_providers_without_issuer
from tenants.models import Territory


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
        action=AuditEvent.BADGES_ISSUER_CREATED,
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
        action=AuditEvent.BADGES_ISSUER_UPDATED,
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
        action=AuditEvent.BADGES_KEY_ROTATED,
        territory=territory,
        target=issuer,
        details={"key_id": key.key_id},
    )
    return key.key_id
