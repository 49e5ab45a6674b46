"""A territory's plan and payment state, and the Stripe events already handled.

Both live in the public schema: billing is about territories, not inside them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.billing import plans
from tenants.models import Territory


class BillingAccount(models.Model):
    """How a territory pays, and where it stands.

    The territory's own status follows from ``state`` (shared_apps.billing.actions):
    pilot or awaiting payment -> trial; active or grace -> active; suspended or
    cancelled -> suspended (read-only); archived -> archived.
    """

    class Plan(models.TextChoices):
        PILOT = plans.PILOT, _("Pilot")
        CITY = plans.CITY, _("City")
        REGION = plans.REGION, _("Region")

    class Method(models.TextChoices):
        NONE = "none", _("None (pilot)")
        STRIPE = "stripe", _("Card (Stripe)")
        INVOICE = "invoice", _("Invoice")

    class State(models.TextChoices):
        PILOT = "pilot", _("Pilot")
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        ACTIVE = "active", _("Paid")
        GRACE = "grace", _("Payment failed: grace period")
        SUSPENDED = "suspended", _("Suspended")
        CANCELLED = "cancelled", _("Cancelled")
        ARCHIVED = "archived", _("Archived")

    territory = models.OneToOneField(Territory, on_delete=models.CASCADE, related_name="billing")
    plan = models.CharField(_("plan"), max_length=10, choices=Plan.choices)
    method = models.CharField(_("payment method"), max_length=10, choices=Method.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    pilot_ends_at = models.DateTimeField(_("pilot ends"), null=True, blank=True)
    grace_started_at = models.DateTimeField(null=True, blank=True)
    grace_ends_at = models.DateTimeField(_("grace period ends"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    archive_after = models.DateTimeField(_("archived after"), null=True, blank=True)
    # Reminders already sent for the current pilot or grace period ("grace-7", ...).
    notices_sent = models.JSONField(default=list, blank=True)
    invoice_details = models.TextField(_("invoice details"), blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True, db_index=True)
    # Time (Stripe's) of the newest event that changed the state: older events that
    # arrive late are recorded but change nothing.
    stripe_state_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")

    def __str__(self) -> str:
        return f"{self.territory.slug}: {self.plan}/{self.state}"

    @property
    def is_paid_plan(self) -> bool:
        return self.plan in plans.PAID_PLANS


class StripeEvent(models.Model):
    """A Stripe webhook event, stored once: a replayed delivery finds it and does nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
