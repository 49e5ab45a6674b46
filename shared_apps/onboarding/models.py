"""A sign-up in progress (the wizard's saved steps) and the agreements accepted."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Territory


class Signup(models.Model):
    """One run of the wizard. ``data`` holds each step's values as typed, so back,
    forward and the resume link bring them back; nothing is created until the final
    submit, which is idempotent (the row is locked and remembers its territory)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data = models.JSONField(default=dict, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    # Kept until provisioning copies it into the territory's folder.
    logo = models.ImageField(upload_to="onboarding/logos/", blank=True, max_length=255)
    # The administrator: a signed-in account, or a new one (password already hashed).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    password_hash = models.CharField(max_length=256, blank=True)
    terms_version = models.CharField(max_length=20, blank=True)
    dpa_version = models.CharField(max_length=20, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    territory = models.OneToOneField(
        Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="signup"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # The one-time sign-in on the new site has been used.
    handoff_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self) -> str:
        return f"sign-up {self.pk}"

    def step_data(self, step: str) -> dict[str, object]:
        value = self.data.get(step)
        return dict(value) if isinstance(value, dict) else {}


class AgreementAcceptance(models.Model):
    """Who accepted which version of which document, for which territory, and when."""

    class Document(models.TextChoices):
        TERMS = "terms", _("Terms of service")
        DPA = "dpa", _("Data processing agreement")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="agreements")
    document = models.CharField(max_length=10, choices=Document.choices)
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "document", "version"], name="onboarding_agreement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.version}"
