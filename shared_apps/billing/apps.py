from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Plans, payments through Stripe or by invoice, and what happens when they stop."""

    name = "shared_apps.billing"
    label = "billing"
    verbose_name = _("Billing")
