"""Calls to Stripe's API. The address is configurable (STRIPE_API_BASE): the tests
answer these calls with a local HTTP server, never the internet."""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings

from shared_apps.billing import plans
from shared_apps.billing.models import BillingAccount


class BillingUnavailable(Exception):
    """Stripe is not configured, or did not answer."""


def client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise BillingUnavailable("no Stripe key configured")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=1,
    )


def _call(method: Any, params: dict[str, Any] | None = None) -> Any:
    try:
        return method(params=params) if params is not None else method()
    except stripe.StripeError as error:
        raise BillingUnavailable(str(error)) from error


def create_checkout_session(
    *,
    account: BillingAccount,
    plan_key: str,
    customer_email: str,
    success_url: str,
    cancel_url: str,
) -> str:
    """A Checkout session in subscription mode; returns the page to send the admin to."""
    price = plans.plan(plan_key).stripe_price
    if not price:
        raise BillingUnavailable(f"no Stripe price for plan {plan_key}")
    territory = account.territory
    metadata = {"territory_id": str(territory.pk), "plan": plan_key}
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": price, "quantity": 1}],
        "client_reference_id": str(territory.pk),
        "metadata": metadata,
        # The subscription's own events carry the territory too, whatever their order.
        "subscription_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "locale": "auto",
    }
    if account.stripe_customer_id:
        params["customer"] = account.stripe_customer_id
    elif customer_email:
        params["customer_email"] = customer_email
    session = _call(client().v1.checkout.sessions.create, params)
    return str(session.url)


def create_portal_session(*, account: BillingAccount, return_url: str) -> str:
    if not account.stripe_customer_id:
        raise BillingUnavailable("no Stripe customer yet")
    session = _call(
        client().v1.billing_portal.sessions.create,
        {"customer": account.stripe_customer_id, "return_url": return_url},
    )
    return str(session.url)


def cancel_subscription(subscription_id: str) -> None:
    try:
        client().v1.subscriptions.cancel(subscription_id)
    except stripe.StripeError as error:
        raise BillingUnavailable(str(error)) from error
