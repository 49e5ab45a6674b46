"""The backpack index: one row per badge awarded anywhere in the network.

It lives in the public schema so that a learner's badges from every territory can be
listed with one query. It is an index, rebuilt from the territories' awards (the
source of truth) after each award or revocation commits. Private by default: a row is
only shown to its owner, unless the owner turns on its share page.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Territory


def new_share_token() -> str:
    return secrets.token_urlsafe(18)


class BackpackEntry(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    award_uuid = models.UUIDField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="backpack_entries",
    )
    email_digest = models.CharField(max_length=64, db_index=True)
    badge_name = models.CharField(max_length=120)
    badge_description = models.TextField(blank=True)
    issuer_name = models.CharField(max_length=160)
    image_url = models.URLField(max_length=300)
    award_url = models.URLField(max_length=300)
    assertion_url = models.URLField(max_length=300)
    credential_url = models.URLField(max_length=300)
    issued_on = models.DateTimeField()
    expires_on = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)
    is_public = models.BooleanField(default=False)
    # The evidence of the learner's application shows on the public award page only
    # if they choose so (off again whenever the page is made private).
    share_evidence = models.BooleanField(default=False)
    share_token = models.CharField(max_length=32, unique=True, default=new_share_token)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("backpack entry")
        verbose_name_plural = _("backpack entries")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "award_uuid"], name="backpack_entry_unique_award"
            )
        ]
        indexes = [models.Index(fields=["user", "-issued_on"])]

    def __str__(self) -> str:
        return f"backpack entry {self.pk}"
