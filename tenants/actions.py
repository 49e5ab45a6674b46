"""Creating and changing territories.

Provisioning is one PostgreSQL transaction: the territory row, its schema with all
migrations, its platform domain, its first admin membership and the audit entry
appear together or not at all (DDL is transactional in PostgreSQL). The schema is a
pre-migrated standby renamed into place (tenants.pool), so provisioning takes the same
time whatever the number of territories and migrations. With the pool empty it falls
back to running the migrations, or (``build_schema_later``, the sign-up wizard) commits
the territory as "being set up" and builds its schema in the background.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import Membership, User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from tenants import dns_lookup, pool, setup
from tenants.models import Domain, SchemaState, Territory
from tenants.selectors import conflicting_slug
from tenants.validation import confusable_skeleton, schema_name_for, validate_new_slug

logger = logging.getLogger(__name__)


def provision_territory(
    *,
    name: str,
    slug: str,
    country: str,
    default_language: str,
    timezone_name: str,
    map_center: Point,
    languages: Sequence[str] = (),
    kind: str = Territory.Kind.CITY,
    default_zoom: int = 12,
    primary_color: str | None = None,
    accent_color: str | None = None,
    status: str = Territory.Status.TRIAL,
    admin: User | None = None,
    acting_user: Any = None,
    logo: File[bytes] | None = None,
    build_schema_later: bool = False,
) -> Territory:
    """Create a territory with its schema, subdomain and first admin, all or nothing.

    Raises ValidationError (with a message per field) when any input is refused.
    ``logo`` is an already checked image (shared_apps.core.uploads.clean_image).
    ``build_schema_later``: when no standby schema is ready, do not run the migrations
    here; the territory is committed with status PROVISIONING and gets ``status`` once
    a background job (tenants.pool.build_territory_schema) has built its schema.
    """
    slug = slug.strip().lower()
    check_new_slug(slug)
    enabled = list(dict.fromkeys([default_language, *languages]))
    territory = Territory(
        name=name.strip(),
        slug=slug,
        slug_skeleton=confusable_skeleton(slug),
        schema_name=schema_name_for(slug),
        kind=kind,
        country=country,
        default_language=default_language,
        languages=enabled,
        timezone=timezone_name,
        map_center=map_center,
        default_zoom=default_zoom,
        status=status,
    )
    if primary_color:
        territory.primary_color = primary_color
    if accent_color:
        territory.accent_color = accent_color
    # Uniqueness of the address was checked above with a reason; a sign-up racing us
    # is caught by the unique indexes below and told "just taken", not "Schema name
    # already exists".
    territory.full_clean(exclude=["slug_skeleton", "logo"], validate_unique=False)

    with schema_context("public"):
        if schema_exists(territory.schema_name):
            # Another sign-up for this address has just committed (say so), or the
            # schema is left over from a territory deleted by hand: never reuse its data.
            check_new_slug(slug)
            raise ValidationError(
                {"slug": _("This address cannot be used at the moment. Please choose another.")}
            )
        try:
            with transaction.atomic():
                if logo is not None:
                    territory.logo.save(logo.name or "logo", logo, save=False)
                territory.save()
                Domain.objects.create(
                    domain=territory.host,
                    tenant=territory,
                    is_primary=True,
                    kind=Domain.Kind.PLATFORM,
                    is_verified=True,
                    verified_at=timezone.now(),
                )
                from_standby = pool.claim_standby_schema(territory.schema_name)
                later = not from_standby and build_schema_later
                if from_standby:
                    pool.record_migrated(territory)
                if later:
                    # A sign-up found the pool empty: an alarm (commands that provision
                    # in bulk, like load_demo, may empty it on purpose).
                    pool.alarm_pool_empty(territory.schema_name)
                    territory.status = Territory.Status.PROVISIONING
                    territory.save(update_fields=["status", "updated_at"])
                    SchemaState.objects.create(territory=territory, status_when_ready=status)
                    pool.request_schema_build(territory.pk)
                elif not from_standby:
                    logger.warning("standby pool empty: migrating %s", territory.schema_name)
                    territory.create_schema(check_if_exists=False, verbosity=0)
                    pool.record_migrated(territory)
                if not later:
                    setup.run_schema_ready(territory)
                if admin is not None:
                    grant_membership(
                        user=admin,
                        territory=territory,
                        role=Membership.Role.TERRITORY_ADMIN,
                        acting_user=acting_user,
                    )
                record(
                    actor=acting_user,
                    action=AuditEvent.TERRITORY_PROVISIONED,
                    territory=territory,
                    target=territory,
                    details={
                        "slug": slug,
                        "status": status,
                        "schema_from": "standby"
                        if from_standby
                        else "background"
                        if later
                        else "migrations",
                    },
                )
                pool.request_refill()
        except (IntegrityError, ValidationError) as exc:
            _forget_file(territory.logo)
            # Lost a race with another sign-up for the same (or a confusable) address:
            # say which, now that the winner is visible. A winner that committed before
            # our save is refused by django-tenants' schema-name check (a
            # ValidationError), one committing during it by the unique indexes.
            check_new_slug(slug)
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError(
                {"slug": _("This address was just taken. Please choose another.")}
            ) from exc
        except BaseException:
            _forget_file(territory.logo)
            raise
    logger.info("provisioned territory %s (schema %s)", territory.slug, territory.schema_name)
    return territory


def _forget_file(field: Any) -> None:
    """Files are not transactional: remove what a rolled-back provisioning stored."""
    if field:
        field.storage.delete(field.name)


def check_new_slug(slug: str) -> None:
    """Raise ValidationError({"slug": ...}) saying why ``slug`` cannot be used."""
    try:
        validate_new_slug(slug, conflict=conflicting_slug(slug))
    except ValidationError as error:
        raise ValidationError({"slug": error.error_list}) from None


@transaction.atomic
def update_branding(
    *,
    territory: Territory,
    acting_user: Any,
    name: str,
    primary_color: str,
    accent_color: str,
    default_language: str,
    languages: Sequence[str],
    logo: File[bytes] | None = None,
    cover_image: File[bytes] | None = None,
    remove_logo: bool = False,
    remove_cover: bool = False,
) -> Territory:
    """A territory admin changes the site's name, colours, images and languages."""
    territory.name = name.strip()
    territory.primary_color = primary_color
    territory.accent_color = accent_color
    territory.default_language = default_language
    territory.languages = list(dict.fromkeys([default_language, *languages]))
    territory.full_clean(exclude=["slug_skeleton", "logo", "cover_image"])
    changed_images = []
    if remove_logo and territory.logo:
        territory.logo.delete(save=False)
        changed_images.append("logo")
    if logo is not None:
        territory.logo.save(logo.name or "logo", logo, save=False)
        changed_images.append("logo")
    if remove_cover and territory.cover_image:
        territory.cover_image.delete(save=False)
        changed_images.append("cover_image")
    if cover_image is not None:
        territory.cover_image.save(cover_image.name or "cover", cover_image, save=False)
        changed_images.append("cover_image")
    with schema_context("public"):
        territory.save()
        record(
            actor=acting_user,
            action=AuditEvent.TERRITORY_BRANDING_CHANGED,
            territory=territory,
            target=territory,
            details={
                "primary_color": primary_color,
                "accent_color": accent_color,
                "languages": territory.languages,
                "images": changed_images,
            },
        )
    return territory


@transaction.atomic
def change_territory_status(
    *, territory: Territory, status: str, acting_user: Any, reason: str = ""
) -> Territory:
    """Move a territory through its lifecycle (pilot, active, suspended, archived).

    Saved with save() (never QuerySet.update) so cached host routes are dropped at once.
    """
    if status not in Territory.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    previous = territory.status
    if previous == status:
        return territory
    territory.status = status
    with schema_context("public"):
        territory.save(update_fields=["status", "updated_at"])
        record(
            actor=acting_user,
            action=AuditEvent.TERRITORY_STATUS_CHANGED,
            territory=territory,
            target=territory,
            details={"from": previous, "to": status, "reason": reason},
        )
    return territory


# ---------------------------------------------------------------------------
# Custom domains: added by a territory admin, routed only once verified by DNS
# ---------------------------------------------------------------------------

_HOSTNAME_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def verification_record(domain: Domain) -> tuple[str, str]:
    """The TXT record (name, value) that proves the territory controls the domain."""
    return (
        f"{settings.DOMAIN_VERIFICATION_PREFIX}.{domain.domain}",
        f"cities-of-learning-verification={domain.verification_token}",
    )


@transaction.atomic
def add_custom_domain(*, territory: Territory, hostname: str, acting_user: Any) -> Domain:
    """A domain of the territory's own (learn.kaunas.lt); it routes after verification."""
    hostname = hostname.strip().lower().rstrip(".")
    if not _HOSTNAME_RE.match(hostname):
        raise ValidationError({"domain": _("Enter a domain name such as learn.kaunas.lt.")})
    platform = settings.PLATFORM_DOMAIN.lower()
    if hostname == platform or hostname.endswith("." + platform):
        raise ValidationError(
            {"domain": _("Addresses under %(domain)s are the platform's.") % {"domain": platform}}
        )
    # Lapsed claims (anyone's) are dropped first: they hold nothing.
    Domain.objects.filter(
        domain=hostname,
        kind=Domain.Kind.CUSTOM,
        is_verified=False,
        created_at__lte=claim_cutoff(),
    ).delete()
    # Only a verified name is refused: other territories' pending claims are neither
    # an obstacle nor mentioned (the first to prove control of the DNS wins).
    if Domain.objects.filter(domain=hostname, is_verified=True).exists():
        raise ValidationError({"domain": _("This domain is already in use.")})
    if Domain.objects.filter(domain=hostname, tenant=territory).exists():
        raise ValidationError({"domain": _("You have already added this domain.")})
    domain = Domain(domain=hostname, tenant=territory, is_primary=False, kind=Domain.Kind.CUSTOM)
    try:
        with transaction.atomic():
            domain.save()
    except IntegrityError:  # the same admin, twice at once
        raise ValidationError({"domain": _("You have already added this domain.")}) from None
    record(
        actor=acting_user,
        action=AuditEvent.DOMAIN_ADDED,
        territory=territory,
        target=domain,
        details={"domain": hostname},
    )
    return domain


def claim_cutoff() -> datetime.datetime:
    """Unverified claims created at or before this moment have lapsed."""
    return timezone.now() - datetime.timedelta(days=settings.DOMAIN_CLAIM_DAYS)


class DomainClaimLapsed(Exception):
    """The claim is older than DOMAIN_CLAIM_DAYS: it must be added again."""


class DomainTaken(Exception):
    """Another territory verified this name first."""


def verify_custom_domain(*, domain: Domain, acting_user: Any) -> bool:
    """Look the TXT record up (real DNS) and mark the domain verified if it is there.

    The first territory to verify a name wins: a name verified elsewhere raises
    DomainTaken (checked before the DNS lookup; a race between two verifications is
    settled by the partial unique index on verified names: the later UPDATE waits for
    the earlier transaction, then fails). A lapsed claim raises DomainClaimLapsed.
    Saved with save() so the route cache learns about it at once (tenants.signals).
    Raises tenants.dns.DnsLookupFailed when DNS gives no answer.
    """
    if domain.claim_expired:
        raise DomainClaimLapsed
    if Domain.objects.filter(domain=domain.domain, is_verified=True).exclude(pk=domain.pk).exists():
        raise DomainTaken
    name, value = verification_record(domain)
    found = value in dns_lookup.txt_records(name)
    if not found:
        return False
    try:
        with transaction.atomic():
            domain = Domain.objects.select_for_update().get(pk=domain.pk)
            if domain.is_verified:
                return True
            if domain.claim_expired:
                raise DomainClaimLapsed
            domain.is_verified = True
            domain.verified_at = timezone.now()
            domain.save(update_fields=["is_verified", "verified_at"])
            record(
                actor=acting_user,
                action=AuditEvent.DOMAIN_VERIFIED,
                territory=domain.tenant,
                target=domain,
                details={"domain": domain.domain},
            )
    except IntegrityError:  # another territory's verification committed first
        raise DomainTaken from None
    return True


@transaction.atomic
def remove_custom_domain(*, domain: Domain, acting_user: Any) -> None:
    if domain.kind != Domain.Kind.CUSTOM:
        raise ValidationError({"domain": _("The platform address cannot be removed.")})
    territory, hostname = domain.tenant, domain.domain
    domain.delete()
    record(
        actor=acting_user,
        action=AuditEvent.DOMAIN_REMOVED,
        territory=territory,
        target=None,
        details={"domain": hostname},
    )
