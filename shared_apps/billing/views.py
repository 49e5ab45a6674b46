"""Stripe's webhook (network site) and the billing page of a territory's admin area."""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_admin_required
from shared_apps.billing import plans, stripe_api
from shared_apps.billing.actions import handle_stripe_event
from shared_apps.billing.selectors import billing_account_for
from shared_apps.core.hosts import absolute_url
from tenants.types import StaffRequest

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verifies Stripe's signature before reading anything; answers 200 for replays
    and for events about nothing we know, so Stripe stops retrying them."""
    if getattr(request, "territory", None) is not None or not settings.STRIPE_WEBHOOK_SECRET:
        raise Http404
    try:
        stripe.Webhook.construct_event(
            request.body.decode("utf-8"),
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, UnicodeDecodeError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("invalid payload or signature")
    outcome = handle_stripe_event(json.loads(request.body))
    return HttpResponse(outcome, content_type="text/plain")


@territory_admin_required
def billing(request: StaffRequest) -> HttpResponse:
    account = billing_account_for(request.territory)
    return render(
        request,
        "billing/billing.html",
        {
            "account": account,
            "plans": [p for p in plans.all_plans() if p.is_paid],
            "stripe_enabled": plans.stripe_enabled(),
        },
    )


@require_POST
@territory_admin_required
def checkout(request: StaffRequest) -> HttpResponse:
    account = billing_account_for(request.territory)
    plan_key = request.POST.get("plan", "")
    if account is None or plan_key not in plans.PAID_PLANS or not plans.stripe_enabled():
        messages.error(request, _("Card payments are not available. Ask for an invoice instead."))
        return redirect("billing:page")
    base = absolute_url(request, "/manage/billing/")
    try:
        url = stripe_api.create_checkout_session(
            account=account,
            plan_key=plan_key,
            customer_email=request.user.email,
            success_url=base + "?checkout=done",
            cancel_url=base + "?checkout=cancelled",
        )
    except stripe_api.BillingUnavailable:
        logger.exception("checkout session for %s failed", request.territory.slug)
        messages.error(request, _("The payment page could not be opened. Please try again."))
        return redirect("billing:page")
    return redirect(url)


@require_POST
@territory_admin_required
def portal(request: StaffRequest) -> HttpResponse:
    account = billing_account_for(request.territory)
    if account is None or not account.stripe_customer_id or not plans.stripe_enabled():
        messages.error(request, _("There is no card payment to manage yet."))
        return redirect("billing:page")
    try:
        url = stripe_api.create_portal_session(
            account=account, return_url=absolute_url(request, "/manage/billing/")
        )
    except stripe_api.BillingUnavailable:
        logger.exception("portal session for %s failed", request.territory.slug)
        messages.error(request, _("The payment page could not be opened. Please try again."))
        return redirect("billing:page")
    return redirect(url)
