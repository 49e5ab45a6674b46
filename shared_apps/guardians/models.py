"""Age and guardian consent of an account (public schema, one row per account).

What is stored, and why no more:
- the year and month of birth (never the day): enough to know whether the person may
  consent alone, and when they come of age;
- the consent age that applied where they signed up, and that country, so the rule
  applied can be shown and audited;
- for a guardian: their email address, and nothing else about them. The address is
  needed to send the confirmation link, to resend it, and to tell the guardian when the
  account is to be deleted for inactivity; a hash could not be written to. It is
  deleted with the account, and a guardian who withdraws consent may have it erased
  with the account from the same page. A keyed digest of it lets a guardian ask for a
  fresh link by typing it in, without us searching plain addresses.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class AgeRecord(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="age_record"
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_month = models.PositiveSmallIntegerField(_("month of birth"))
    country = models.CharField(max_length=2, blank=True)
    consent_age = models.PositiveSmallIntegerField()
    # Set by the retention task for an inactive minor's account; cleared on activity.
    flagged_for_deletion_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("age record")
        verbose_name_plural = _("age records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_month__gte=1, birth_month__lte=12),
                name="guardians_age_month_range",
            )
        ]

    def __str__(self) -> str:
        return f"age record of account #{self.user_id}"


class GuardianConsent(models.Model):
    """A guardian's consent for one account: asked, confirmed, or withdrawn."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the guardian")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardian_consent"
    )
    guardian_email = models.EmailField()
    guardian_digest = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Part of every link: a new nonce (on resend, after a withdrawal) voids older links.
    nonce = models.CharField(max_length=32, default=new_nonce)
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")

    def __str__(self) -> str:
        # Never the address: this string ends up in logs.
        return f"guardian consent of account #{self.user_id} ({self.status})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class CodeCard(models.Model):
    """A printed card that makes an account without an email, for a learner met at an
    event by a youth worker. The code signs the account in for the first time (the
    learner then sets a passphrase), and afterwards names the account at sign-in."""

    territory = models.ForeignKey("tenants.Territory", on_delete=models.CASCADE, related_name="+")
    batch = models.UUIDField(db_index=True)
    label = models.CharField(max_length=120, blank=True)
    code = models.CharField(max_length=16, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_card"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code card")
        verbose_name_plural = _("code cards")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"code card {self.pk}"
