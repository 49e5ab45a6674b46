from __future__ import annotations

from shared_apps.billing.models import BillingAccount
from tenants.models import Territory


def billing_account_for(territory: Territory) -> BillingAccount | None:
    return BillingAccount.objects.filter(territory_id=territory.pk).first()
