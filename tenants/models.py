"""Territories (cities and regions) and the hosts they answer on.

A territory's data lives in its own PostgreSQL schema; these two tables live in the
public schema and are how a request's host is mapped to that schema.
"""

from __future__ import annotations

import datetime
import secrets
import zoneinfo
from functools import lru_cache
from typing import ClassVar

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_tenants.models import DomainMixin, TenantMixin

from shared_apps.core.colors import validate_accent_color, validate_primary_color
from shared_apps.core.uploads import territory_upload_to
from tenants.validation import validate_slug_format


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """Read once per process: available_timezones() walks the time zone database on
    disk (~0.1 s), which the sign-up's final submit otherwise paid twice."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone, such as Europe/Vilnius."),
            code="invalid_timezone",
            params={"value": value},
        )


def validate_language(value: str) -> None:
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("“%(value)s” is not a language this platform offers."),
            code="invalid_language",
            params={"value": value},
        )


class Territory(TenantMixin):
    """A city or region of learning: one schema, one subdomain, its own branding."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        REGION = "region", _("Region")

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Being set up")
        TRIAL = "trial", _("Pilot")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")

    # Statuses in which the territory's site is served to the public.
    LIVE_STATUSES: ClassVar[tuple[str, ...]] = (Status.TRIAL, Status.ACTIVE, Status.SUSPENDED)

    name = models.CharField(_("name"), max_length=120)
    # The subdomain. Kept apart from schema_name: hostnames allow "-", schemas get "_".
    slug = models.CharField(
        _("address"), max_length=40, unique=True, validators=[validate_slug_format]
    )
    # confusable_skeleton(slug), unique: two wizards racing for "vilnius" and "vi1nius"
    # cannot both win, whatever the timing.
    slug_skeleton = models.CharField(max_length=40, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITY)
    country = CountryField(_("country"))
    default_language = models.CharField(
        _("default language"), max_length=10, validators=[validate_language]
    )
    languages = ArrayField(
        models.CharField(max_length=10, validators=[validate_language]),
        verbose_name=_("languages"),
        help_text=_("Languages the site is offered in, the default language included."),
    )
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    map_center = PointField(_("map centre"), srid=4326, geography=False)
    default_zoom = models.PositiveSmallIntegerField(
        _("default map zoom"),
        default=12,
        validators=[MinValueValidator(3), MaxValueValidator(18)],
    )
    primary_color = models.CharField(
        _("primary colour"), max_length=7, default="#1f4e79", validators=[validate_primary_color]
    )
    accent_color = models.CharField(
        _("accent colour"), max_length=7, default="#f2b134", validators=[validate_accent_color]
    )
    logo = models.ImageField(
        _("logo"), upload_to=territory_upload_to("branding"), blank=True, max_length=255
    )
    cover_image = models.ImageField(
        _("cover image"), upload_to=territory_upload_to("branding"), blank=True, max_length=255
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROVISIONING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Provisioning (tenants.actions.provision_territory) creates and migrates the schema
    # inside its own transaction; saving a Territory never does it behind our back.
    auto_create_schema = False

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.default_language and self.languages and self.default_language not in self.languages:
            raise ValidationError(
                {"languages": _("The default language must be one of the site's languages.")}
            )

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @property
    def host(self) -> str:
        return f"{self.slug}.{settings.PLATFORM_DOMAIN}"

    @property
    def url(self) -> str:
        """Absolute URL of the territory's site on its platform subdomain."""
        port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
        return f"{settings.PLATFORM_SCHEME}://{self.host}{port}/"


def new_verification_token() -> str:
    return secrets.token_urlsafe(24)


class Domain(DomainMixin):
    """A host name a territory answers on.

    Every territory has its platform subdomain (verified from the start). A custom
    domain (learn.vilnius.lt) routes only once its DNS TXT record has been verified.
    """

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Platform subdomain")
        CUSTOM = "custom", _("Custom domain")

    # Not unique (django-tenants' field is): several territories may claim the same
    # name while unverified, so a claim neither blocks the real owner nor tells anyone
    # that someone else wants the name. Only a verified name is unique (Meta), which
    # also makes the first verification win when two race.
    domain = models.CharField(max_length=253, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PLATFORM)
    is_verified = models.BooleanField(default=False)
    verification_token = models.CharField(max_length=64, default=new_verification_token)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [
            models.UniqueConstraint(
                fields=["domain"],
                condition=models.Q(is_verified=True),
                name="tenants_domain_verified_once",
            ),
            models.UniqueConstraint(
                fields=["tenant", "domain"], name="tenants_domain_once_per_territory"
            ),
        ]

    @property
    def claim_expires_at(self) -> datetime.datetime | None:
        """When an unverified custom domain claim lapses (None once verified)."""
        if self.is_verified or self.kind != self.Kind.CUSTOM:
            return None
        return self.created_at + datetime.timedelta(days=settings.DOMAIN_CLAIM_DAYS)

    @property
    def claim_expired(self) -> bool:
        expires = self.claim_expires_at
        return expires is not None and expires <= now()


class StandbySchema(models.Model):
    """A pre-migrated, empty territory schema waiting to be claimed by provisioning.

    Provisioning renames one to ``t_<slug>`` inside its transaction (constant time,
    whatever the number of territories or migrations); tenants.pool refills the pool
    in the background and keeps it migrated. Standby schemas are not territories, so
    django-tenants' ``migrate_schemas`` never sees them: ``migrate_standby_schemas``
    migrates them.
    """

    class State(models.TextChoices):
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        MIGRATING = "migrating", _("Being migrated")

    name = models.CharField(max_length=63, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.BUILDING)
    # tenants.pool.migrations_fingerprint() of the code that last migrated it: only
    # schemas migrated exactly as far as the running code expects are claimed.
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    migrated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("standby schema")
        verbose_name_plural = _("standby schemas")
        indexes = [models.Index(fields=["state", "fingerprint"])]

    def __str__(self) -> str:
        return self.name


class SchemaState(models.Model):
    """How far a territory's schema is migrated, kept in the public schema.

    A release (``manage.py migrate_territories``) compares ``fingerprint`` with the
    running code's tenants.pool.migrations_fingerprint() and migrates only the schemas
    behind, instead of asking every schema (~0.5 s each). A territory without a row is
    behind. A failed migration leaves the old fingerprint (still behind) and says when.

    ``status_when_ready`` is set while the schema of a new territory is being built in
    the background (provisioning with an empty standby pool): the status the territory
    gets once its schema is migrated.
    """

    territory = models.OneToOneField(
        Territory, on_delete=models.CASCADE, primary_key=True, related_name="schema_state"
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    migrated_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # The exception's class and first line: SQL and migration names, no personal data.
    error = models.CharField(max_length=500, blank=True)
    status_when_ready = models.CharField(
        max_length=20, choices=Territory.Status.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schema state")
        verbose_name_plural = _("schema states")
        indexes = [models.Index(fields=["fingerprint"])]

    def __str__(self) -> str:
        return f"{self.territory_id}: {self.fingerprint[:12] or 'never recorded'}"
