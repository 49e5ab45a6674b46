"""Every change to a territory's billing: atomic, audited, notices sent on commit.

The territory's status follows its billing state (see BillingAccount); status changes
go through tenants.actions.change_territory_status, so host routes are refreshed and
each change is audited.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.models import Membership
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.billing import plans, stripe_api
from shared_apps.billing.models import BillingAccount, StripeEvent
from shared_apps.ops.email import queue_email, recipient_language
from tenants.actions import change_territory_status
from tenants.models import Territory

logger = logging.getLogger(__name__)
State = BillingAccount.State

TERRITORY_STATUS_FOR = {
    State.PILOT: Territory.Status.TRIAL,
    State.AWAITING_PAYMENT: Territory.Status.TRIAL,
    State.ACTIVE: Territory.Status.ACTIVE,
    State.GRACE: Territory.Status.ACTIVE,
    State.SUSPENDED: Territory.Status.SUSPENDED,
    State.CANCELLED: Territory.Status.SUSPENDED,
    State.ARCHIVED: Territory.Status.ARCHIVED,
}


def _set_state(account: BillingAccount, state: str, *, actor: Any, reason: str) -> None:
    previous = account.state
    account.state = state
    account.save()
    change_territory_status(
        territory=account.territory,
        status=TERRITORY_STATUS_FOR[State(state)],
        acting_user=actor,
        reason=reason,
    )
    if previous != state:
        record(
            actor=actor,
            action=AuditEvent.BILLING_STATE_CHANGED,
            territory=account.territory,
            target=account,
            details={"from": previous, "to": state, "reason": reason},
        )


@transaction.atomic
def open_billing_account(
    *,
    territory: Territory,
    plan_key: str,
    method: str,
    acting_user: Any,
    invoice_details: str = "",
) -> BillingAccount:
    """The account a new territory starts with. A pilot runs for BILLING_PILOT_DAYS; a
    paid plan is a pilot too until its first payment (or until staff confirm an
    invoice), so the site is usable from the first second."""
    if plan_key not in (plans.PILOT, *plans.PAID_PLANS):
        raise ValidationError({"plan": _("Unknown plan.")})
    if plan_key == plans.PILOT:
        method = BillingAccount.Method.NONE
    elif method == BillingAccount.Method.STRIPE and not plans.stripe_enabled():
        raise ValidationError({"payment": _("Card payments are not available.")})
    elif method not in (BillingAccount.Method.STRIPE, BillingAccount.Method.INVOICE):
        raise ValidationError({"payment": _("Choose how to pay.")})
    account = BillingAccount.objects.create(
        territory=territory,
        plan=plan_key,
        method=method,
        state=State.PILOT if plan_key == plans.PILOT else State.AWAITING_PAYMENT,
        pilot_ends_at=timezone.now() + timedelta(days=settings.BILLING_PILOT_DAYS),
        invoice_details=invoice_details.strip(),
    )
    record(
        actor=acting_user,
        action=AuditEvent.BILLING_OPENED,
        territory=territory,
        target=account,
        details={"plan": plan_key, "method": method},
    )
    return account


@transaction.atomic
def switch_to_invoice(*, account: BillingAccount, acting_user: Any, note: str = "") -> None:
    """Platform staff: this territory pays by invoice from now on (municipalities often
    must). Its Stripe subscription, if any, is cancelled first, so it is not charged
    twice; Stripe's later events about it change nothing."""
    account = BillingAccount.objects.select_for_update().get(pk=account.pk)
    if account.stripe_subscription_id and account.state not in (State.CANCELLED, State.ARCHIVED):
        stripe_api.cancel_subscription(account.stripe_subscription_id)
    previous_method = account.method
    account.method = BillingAccount.Method.INVOICE
    if account.plan == plans.PILOT:
        account.plan = plans.CITY
    account.grace_started_at = account.grace_ends_at = None
    account.cancelled_at = account.archive_after = None
    account.notices_sent = []
    record(
        actor=acting_user,
        action=AuditEvent.BILLING_SWITCHED_TO_INVOICE,
        territory=account.territory,
        target=account,
        details={"from_method": previous_method, "note": note},
    )
    _set_state(account, State.ACTIVE, actor=acting_user, reason="invoice billing")


# ---------------------------------------------------------------------------
# Stripe webhooks
# ---------------------------------------------------------------------------


def _event_time(event: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(event["created"]), tz=UTC)


def _territory_id_from(obj: dict[str, Any]) -> str | None:
    metadata = obj.get("metadata") or {}
    value = metadata.get("territory_id") or obj.get("client_reference_id")
    if not value and isinstance(obj.get("subscription_details"), dict):
        value = (obj["subscription_details"].get("metadata") or {}).get("territory_id")
    return str(value) if value else None


def _account_for(obj: dict[str, Any]) -> BillingAccount | None:
    accounts = BillingAccount.objects.select_for_update().select_related("territory")
    territory_id = _territory_id_from(obj)
    if territory_id and territory_id.isdigit():
        account = accounts.filter(territory_id=int(territory_id)).first()
        if account is not None:
            return account
    subscription = obj.get("subscription") if obj.get("object") != "subscription" else obj["id"]
    if isinstance(subscription, str) and subscription:
        account = accounts.filter(stripe_subscription_id=subscription).first()
        if account is not None:
            return account
    customer = obj.get("customer")
    if isinstance(customer, str) and customer:
        return accounts.filter(stripe_customer_id=customer).first()
    return None


def handle_stripe_event(event: dict[str, Any]) -> str:
    """Apply one verified Stripe event; returns what was done (for the log and tests).

    Each event id is stored once, so a replay does nothing. Events may arrive in any
    order: state changes are applied only from events newer than the last one applied
    (stripe_state_at), and a cancelled subscription never comes back to life.
    """
    with transaction.atomic():
        stored, created = StripeEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"type": event["type"], "created": _event_time(event)},
        )
        if not created:
            return "duplicate"
        obj = event["data"]["object"]
        account = _account_for(obj)
        if account is None:
            outcome = "unknown territory"
        else:
            stored.territory = account.territory
            outcome = _apply(account, event, obj)
        stored.outcome = outcome
        stored.save(update_fields=["territory", "outcome"])
    logger.info("stripe event %s %s: %s", event["id"], event["type"], outcome)
    return outcome


def _subscription_id_of(obj: dict[str, Any]) -> str:
    if obj.get("object") == "subscription":
        return str(obj["id"])
    value = obj.get("subscription")
    if isinstance(value, dict):
        return str(value.get("id", ""))
    if not value and isinstance(obj.get("parent"), dict):
        details = obj["parent"].get("subscription_details") or {}
        value = details.get("subscription")
    return str(value or "")


def _apply(account: BillingAccount, event: dict[str, Any], obj: dict[str, Any]) -> str:
    kind = event["type"]
    at = _event_time(event)
    subscription_id = _subscription_id_of(obj)

    # Identifiers are facts, whatever the order they arrive in.
    if obj.get("customer") and not account.stripe_customer_id:
        account.stripe_customer_id = str(obj["customer"])
    if account.method == BillingAccount.Method.INVOICE:
        account.save()
        return "ignored: billed by invoice"
    adopted = False
    if subscription_id and subscription_id != account.stripe_subscription_id:
        adopting = not account.stripe_subscription_id or account.state in (
            State.CANCELLED,
            State.SUSPENDED,
            State.AWAITING_PAYMENT,
            State.PILOT,
        )
        if not adopting:
            account.save()
            return "ignored: another subscription"
        if kind in ("checkout.session.completed", "customer.subscription.created") or (
            kind == "customer.subscription.updated" and obj.get("status") == "active"
        ):
            account.stripe_subscription_id = subscription_id
            account.method = BillingAccount.Method.STRIPE
            account.stripe_state_at = None  # a new subscription starts a new history
            adopted = True
        else:
            account.save()
            return "ignored: unknown subscription"

    if account.stripe_state_at is not None and at < account.stripe_state_at:
        account.save()
        return "ignored: older than the state"
    # Late events of the subscription that ended change nothing. A subscription adopted
    # after the cancellation (here, or by an earlier event that changed no state, which
    # leaves stripe_state_at empty) is a new one: paying again reactivates.
    if (
        account.state in (State.CANCELLED, State.ARCHIVED)
        and subscription_id == account.stripe_subscription_id
        and not adopted
        and account.stripe_state_at is not None
    ):
        account.save()
        return "ignored: subscription ended"

    target = _target_state(kind, obj)
    if target is None:
        account.save()
        return "recorded"
    account.stripe_state_at = at
    if kind == "checkout.session.completed":
        plan_key = (obj.get("metadata") or {}).get("plan")
        if plan_key in plans.PAID_PLANS:
            account.plan = plan_key
    if target == State.ACTIVE:
        activate(account, actor=None, reason=kind)
        return "active"
    if target == State.GRACE:
        start_grace(account, at=at, reason=kind)
        return account.state
    cancel(account, at=at, reason=kind)
    return "cancelled"


def _target_state(kind: str, obj: dict[str, Any]) -> str | None:
    if kind == "checkout.session.completed":
        paid = obj.get("payment_status") in ("paid", "no_payment_required")
        return State.ACTIVE if paid else None
    if kind in ("invoice.paid", "invoice.payment_succeeded"):
        return State.ACTIVE
    if kind == "invoice.payment_failed":
        return State.GRACE
    if kind == "customer.subscription.deleted":
        return State.CANCELLED
    if kind in ("customer.subscription.created", "customer.subscription.updated"):
        status = obj.get("status")
        if status in ("active", "trialing"):
            return State.ACTIVE
        if status in ("past_due", "unpaid"):
            return State.GRACE
        if status == "canceled":
            return State.CANCELLED
    return None


def activate(account: BillingAccount, *, actor: Any, reason: str) -> None:
    account.grace_started_at = account.grace_ends_at = None
    account.cancelled_at = account.archive_after = None
    account.notices_sent = []
    _set_state(account, State.ACTIVE, actor=actor, reason=reason)


def start_grace(account: BillingAccount, *, at: datetime, reason: str) -> None:
    """A payment failed: the site stays fully usable for BILLING_GRACE_DAYS, admins are
    told now and reminded, then it is suspended (housekeeping)."""
    if account.state in (State.GRACE, State.SUSPENDED):
        account.save()
        return
    account.grace_started_at = at
    account.grace_ends_at = at + timedelta(days=settings.BILLING_GRACE_DAYS)
    account.notices_sent = ["grace-start"]
    _set_state(account, State.GRACE, actor=None, reason=reason)
    _notify_admins(account, "grace-start")


def cancel(account: BillingAccount, *, at: datetime, reason: str) -> None:
    """The subscription ended: the site becomes read-only, and is archived after the
    retention period unless the territory subscribes again."""
    account.cancelled_at = at
    account.archive_after = at + timedelta(days=settings.BILLING_RETENTION_DAYS)
    account.grace_started_at = account.grace_ends_at = None
    _set_state(account, State.CANCELLED, actor=None, reason=reason)
    _notify_admins(account, "cancelled")


# ---------------------------------------------------------------------------
# Housekeeping (periodic): ends of pilots, grace periods and retention
# ---------------------------------------------------------------------------

REMINDER_DAYS = (7, 1)


def housekeeping(now: datetime | None = None) -> dict[str, int]:
    """Send reminders; suspend territories whose pilot or grace period is over;
    archive those whose retention period after cancellation is over."""
    now = now or timezone.now()
    counts = {"reminders": 0, "suspended": 0, "archived": 0}
    due = BillingAccount.objects.filter(
        state__in=[State.PILOT, State.AWAITING_PAYMENT, State.GRACE, State.CANCELLED]
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            account = (
                BillingAccount.objects.select_for_update().select_related("territory").get(pk=pk)
            )
            for key in _step(account, now):
                counts[key] += 1
    return counts


def _step(account: BillingAccount, now: datetime) -> list[str]:
    if account.state in (State.PILOT, State.AWAITING_PAYMENT) and account.pilot_ends_at:
        ends = account.pilot_ends_at
        prefix = "pilot"
    elif account.state == State.GRACE and account.grace_ends_at:
        ends = account.grace_ends_at
        prefix = "grace"
    elif account.state == State.CANCELLED and account.archive_after:
        if now >= account.archive_after:
            _set_state(account, State.ARCHIVED, actor=None, reason="retention period over")
            return ["archived"]
        return []
    else:
        return []
    if now >= ends:
        _set_state(account, State.SUSPENDED, actor=None, reason=f"{prefix} period over")
        _notify_admins(account, f"{prefix}-suspended")
        return ["suspended"]
    done = []
    for days in REMINDER_DAYS:
        key = f"{prefix}-{days}"
        if now >= ends - timedelta(days=days) and key not in account.notices_sent:
            account.notices_sent = [*account.notices_sent, key]
            account.save(update_fields=["notices_sent", "updated_at"])
            _notify_admins(account, key)
            done.append("reminders")
            break  # one reminder per run: the nearest one not yet sent
    return done


def _notify_admins(account: BillingAccount, notice: str) -> None:
    """Email each of the territory's admins, in their language (else the territory's).

    The messages are stored in the outbox in this transaction and sent by a worker
    with retries once it commits: a mail server that is down delays a notice, it
    never loses it (a redelivered Stripe event is a duplicate and sends nothing)."""
    territory = account.territory
    admins = Membership.objects.filter(
        territory=territory, role=Membership.Role.TERRITORY_ADMIN
    ).select_related("user")
    context = {"territory": territory, "account": account, "notice": notice}
    for membership in admins:
        if not membership.user.email:
            continue
        queue_email(
            to=[membership.user.email],
            template_prefix="billing/email/notice",
            context=context,
            language=recipient_language(membership.user, fallback=territory.default_language),
        )
