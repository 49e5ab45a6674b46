"""Badges of one territory: issuers, badge classes, awards, and the ways to earn them.

These tables live in each territory's schema. Accounts live in the public schema and
are referenced by plain ids (``*_user_id``), not foreign keys: Django's delete
collector would otherwise look for these tables in the public schema when an account
is deleted there.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.core.uploads import territory_upload_to

STATUS_LIST_SIZE = 131_072  # bits: the Bitstring Status List minimum (16 KiB), for herd privacy


class Issuer(models.Model):
    """Who vouches for a badge: the territory itself, or a verified provider.

    Provider issuers are linked to the catalogue's provider by ``provider_id`` once the
    catalogue exists (a plain id now, so linking later needs no data migration).
    """

    class Kind(models.TextChoices):
        TERRITORY = "territory", _("Territory")
        PROVIDER = "provider", _("Provider")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    # A public contact address of the organisation: Open Badges 2.0 requires one.
    email = models.EmailField()
    provider_id = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="territory"),
                name="badges_issuer_one_territory_issuer",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_territory(self) -> bool:
        return self.kind == self.Kind.TERRITORY


class IssuerKey(models.Model):
    """An Ed25519 key pair of an issuer. The private key is stored encrypted
    (tenant_apps.badges.keys) and never leaves the server; retired keys stay published
    in the DID document so credentials signed with them still verify."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="keys")
    number = models.PositiveIntegerField()
    public_key = models.BinaryField()
    private_key_encrypted = models.BinaryField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="badges_issuerkey_unique"),
            models.UniqueConstraint(
                fields=["issuer"],
                condition=Q(retired_at__isnull=True),
                name="badges_issuerkey_one_active",
            ),
        ]
        ordering = ["issuer", "number"]

    def __str__(self) -> str:
        return f"issuer {self.issuer_id} {self.key_id}"

    def __repr__(self) -> str:
        # Never the key material, even encrypted.
        return f"<IssuerKey {self.issuer_id}#{self.key_id}>"

    @property
    def key_id(self) -> str:
        return f"key-{self.number}"


class BadgeClass(models.Model):
    """A badge that can be earned: what it recognises and how it is earned."""

    class ImageSource(models.TextChoices):
        PNG = "png"
        SVG = "svg"
        TEMPLATE = "template"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="badge_classes")
    name = models.CharField(max_length=120)
    description = models.TextField()
    # The same texts in the site's other languages (shared_apps.core.multilingual).
    translations = models.JSONField(default=dict, blank=True)
    criteria_narrative = models.TextField()
    criteria_requirements = models.JSONField(default=list, blank=True)
    # The image as uploaded (PNG, or sanitised SVG) or generated (SVG), and a PNG
    # rendition of it: baked PNG downloads need a PNG whatever was uploaded.
    image = models.FileField(upload_to=territory_upload_to("badges"), max_length=255)
    image_png = models.FileField(upload_to=territory_upload_to("badges"), max_length=255)
    image_source = models.CharField(max_length=10, choices=ImageSource.choices)
    template = models.JSONField(default=dict, blank=True)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # [{"name", "url", "framework", "code"}]: ESCO skills, EntreComp, DigComp...
    alignments = models.JSONField(default=list, blank=True)
    expires_after_days = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(36500)]
    )
    accepts_applications = models.BooleanField(default=True)
    # A meta badge is awarded automatically to whoever holds all of these.
    required_badges = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="meta_badges"
    )
    is_archived = models.BooleanField(default=False)
    created_by_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_svg(self) -> bool:
        return self.image_source in (self.ImageSource.SVG, self.ImageSource.TEMPLATE)


class StatusList(models.Model):
    """A Bitstring Status List of one issuer (revocation): bit N set = revoked."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="status_lists")
    number = models.PositiveIntegerField()
    bits = models.BinaryField()
    # The signed BitstringStatusListCredential, re-issued whenever a bit changes.
    credential = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="badges_statuslist_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer.slug}/{self.number}"


class Award(models.Model):
    """A badge awarded to one person: an OB 2.0 Assertion and an OB 3.0 credential."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Awarded by staff")
        APPLICATION = "application", _("Application approved")
        CLAIM_CODE = "claim_code", _("Claim code")
        BULK = "bulk", _("Bulk award")
        PLAYLIST = "playlist", _("Playlist completed")
        META = "meta", _("Holds the required badges")
        COMMAND = "command", _("Command line")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge_class = models.ForeignKey(BadgeClass, on_delete=models.PROTECT, related_name="awards")
    # Private: the address is only ever published hashed (salted sha256).
    recipient_email = models.EmailField()
    recipient_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    recipient_salt = models.CharField(max_length=64)
    recipient_hash = models.CharField(max_length=80)
    issued_on = models.DateTimeField(default=timezone.now)
    expires_on = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)
    # Public evidence (e.g. the playlist completed); application evidence stays private.
    evidence_narrative = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    credential = models.JSONField(default=dict)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="awards")
    status_index = models.PositiveIntegerField()
    awarded_by_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "recipient_email"],
                condition=Q(revoked_at__isnull=True),
                name="badges_award_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="badges_award_status_slot"
            ),
        ]

    def __str__(self) -> str:
        # Never the email: this ends up in logs.
        return f"award {self.uuid}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on <= timezone.now()


class Application(models.Model):
    """A learner asks for a badge, with evidence; issuer staff review it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        CHANGES_REQUESTED = "changes_requested", _("Asked to improve")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (Status.SUBMITTED, Status.CHANGES_REQUESTED)

    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.PROTECT, related_name="applications"
    )
    applicant_user_id = models.BigIntegerField(db_index=True)
    statement = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reviewer_comment = models.TextField(blank=True)
    reviewed_by_user_id = models.BigIntegerField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    award = models.OneToOneField(
        Award, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "applicant_user_id"],
                condition=Q(status__in=["submitted", "changes_requested"]),
                name="badges_application_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"application {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


def _evidence_storage() -> Storage:
    return storages["private"]


class Evidence(models.Model):
    """A piece of evidence: text, a link or a file. Files sit in the private storage and
    are served only through a view that checks the reader is the learner or a reviewer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField(blank=True)
    url = models.URLField(blank=True)
    file = models.FileField(
        storage=_evidence_storage,
        upload_to=territory_upload_to("evidence"),
        blank=True,
        max_length=255,
    )
    content_type = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"evidence {self.pk}"


class ClaimCode(models.Model):
    """A code (or QR code) handed out at an event to claim a badge.

    Shared codes have a validity window and optionally a maximum number of uses; a
    batch of single-use codes gives one code to each attendee."""

    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.PROTECT, related_name="claim_codes"
    )
    code = models.CharField(max_length=32, unique=True)
    label = models.CharField(max_length=120, blank=True)
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    single_use = models.BooleanField(default=False)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField()
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_by_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"claim code {self.pk}"


class ClaimCodeUse(models.Model):
    claim_code = models.ForeignKey(ClaimCode, on_delete=models.CASCADE, related_name="uses")
    user_id = models.BigIntegerField()
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim_code", "user_id"], name="badges_claim_once")
        ]

    def __str__(self) -> str:
        return f"claim {self.pk}"
