"""The plans a territory can be on. Prices and Stripe price ids come from settings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PILOT = "pilot"
CITY = "city"
REGION = "region"
PAID_PLANS = (CITY, REGION)


@dataclass(frozen=True)
class Plan:
    key: str
    name: str | Promise
    description: str | Promise
    amount: Decimal  # per interval, in settings.BILLING_CURRENCY
    interval: str  # "year", or "" for the pilot
    stripe_price: str

    @property
    def is_paid(self) -> bool:
        return self.key in PAID_PLANS


_DESCRIPTIONS: dict[str, tuple[str | Promise, str | Promise]] = {
    PILOT: (_("Pilot"), _("Everything, free for 60 days. No card needed.")),
    CITY: (_("City"), _("One city: unlimited providers, activities, playlists and badges.")),
    REGION: (
        _("Region"),
        _("A region or several municipalities: everything in City, for a larger area."),
    ),
}


def plan(key: str) -> Plan:
    config = settings.BILLING_PLANS.get(key, {})
    name, description = _DESCRIPTIONS[key]
    return Plan(
        key=key,
        name=name,
        description=description,
        amount=Decimal(str(config.get("amount", "0"))),
        interval=str(config.get("interval", "")),
        stripe_price=str(config.get("stripe_price", "")),
    )


def all_plans() -> list[Plan]:
    return [plan(key) for key in (PILOT, *PAID_PLANS)]


def stripe_enabled() -> bool:
    """Card payments are offered only with a key and a price for every paid plan."""
    return bool(settings.STRIPE_SECRET_KEY) and all(plan(key).stripe_price for key in PAID_PLANS)
