"""A subscription's whole life, driven by Stripe webhook events as Stripe sends them.

stripe-mock (Stripe's official API mock) is a Go binary that no registry reachable here
ships (PyPI, npm and Debian have no package of it), so these tests replay Stripe event
payloads instead: stripe_events/lifecycle.json holds the events of one subscription's
life in the shape of API version 2025-08-27.basil (invoices name their subscription
under ``parent.subscription_details``, arrival order differs from creation order,
automatic retries carry no request id). Each is signed as Stripe signs a delivery
(``Stripe-Signature: t=...,v1=HMAC-SHA256``) and posted to the real webhook view.

trial -> pay -> renewal fails -> grace (reminders) -> suspended -> pay again ->
cancel -> subscribe again -> cancel -> archived.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import stripe
from django.core import mail
from django.test import override_settings

from shared_apps.billing import actions
from shared_apps.billing.models import BillingAccount, StripeEvent
from shared_apps.ops.models import FailedTask, OutboundEmail
from shared_apps.ops.tasks import send_email
from tenants.models import Territory
from tests.conftest import HostClient
from tests.servers import port

WEBHOOK_SECRET = "whsec_lifecycle_test"
RECORDED = Path(__file__).parent / "stripe_events" / "lifecycle.json"
# A loopback port nothing listens on: the mail server is down.
DOWN_SMTP_PORT = port("closed_smtp")
PRICE = "price_1SU3zTJx8mZp4Kd2Lm6Nq8Rs"  # the recorded subscriptions' price


@pytest.fixture
def stripe_on() -> Iterator[None]:
    with override_settings(
        STRIPE_SECRET_KEY="sk_test_local",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        BILLING_PLANS={
            "city": {"amount": "4800", "interval": "year", "stripe_price": PRICE},
            "region": {"amount": "9600", "interval": "year", "stripe_price": "price_region"},
        },
    ):
        yield


class Stripe:
    """Delivers the recorded events of one territory to the webhook."""

    def __init__(self, client: HostClient, territory: Territory) -> None:
        text = RECORDED.read_text().replace('"{territory_id}"', json.dumps(str(territory.pk)))
        self.events: dict[str, dict[str, Any]] = json.loads(text)
        self.client = client

    def time(self, name: str) -> datetime:
        return datetime.fromtimestamp(self.events[name]["created"], tz=UTC)

    def deliver(self, name: str) -> str:
        body = json.dumps(self.events[name])
        header = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)
        response = self.client.post(
            "/billing/stripe/webhook/",
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
        assert response.status_code == 200, response.content
        return response.content.decode()


def state_of(territory: Territory) -> tuple[str, str]:
    account = BillingAccount.objects.select_related("territory").get(territory=territory)
    return account.state, account.territory.status


def notices(territory: Territory) -> list[tuple[str, str]]:
    """(recipient, subject) of the billing notices stored for sending, oldest first."""
    return [
        (email.to[0], email.subject)
        for email in OutboundEmail.objects.filter(purpose="billing/email/notice").order_by("pk")
        if territory.name in email.subject
    ]


def test_whole_life_of_a_subscription(
    network_client: HostClient,
    territory_a: Territory,
    stripe_on: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_events = Stripe(network_client, territory_a)
    account = actions.open_billing_account(
        territory=territory_a, plan_key="city", method="stripe", acting_user=None
    )
    # Trial: usable from the first second, until the first payment.
    assert account.state == "awaiting_payment"

    # Pay: the subscription's own events arrive before the checkout's; it is created
    # incomplete and becomes active with its first invoice.
    assert stripe_events.deliver("pay.subscription_created") == "recorded"
    assert stripe_events.deliver("pay.invoice_paid") == "active"
    assert stripe_events.deliver("pay.subscription_active") == "active"
    assert stripe_events.deliver("pay.checkout_completed") == "active"
    assert state_of(territory_a) == ("active", "active")

    # The renewal fails: grace, the admin is told (in Lithuanian, aurora's language).
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_events.deliver("fail.invoice_payment_failed") == "grace"
    assert stripe_events.deliver("fail.subscription_past_due") == "grace"
    assert state_of(territory_a) == ("grace", "active")
    assert notices(territory_a) == [("anna@example.org", "Aurora: mokėjimas nepavyko")]
    assert mail.outbox[-1].to == ["anna@example.org"]

    # Reminders, then suspension when the grace period is over.
    grace_ends = stripe_events.time("fail.invoice_payment_failed") + timedelta(days=14)
    assert actions.housekeeping(grace_ends - timedelta(days=6))["reminders"] == 1
    assert actions.housekeeping(grace_ends - timedelta(hours=12))["reminders"] == 1
    assert actions.housekeeping(grace_ends + timedelta(minutes=1))["suspended"] == 1
    assert state_of(territory_a) == ("suspended", "suspended")
    assert len(notices(territory_a)) == 4

    # Pay again: open again.
    assert stripe_events.deliver("pay_again.invoice_paid") == "active"
    assert stripe_events.deliver("pay_again.subscription_active") == "active"
    assert state_of(territory_a) == ("active", "active")

    # Cancelled: read-only, archived after the retention period unless...
    assert stripe_events.deliver("cancel.subscription_deleted") == "cancelled"
    assert state_of(territory_a) == ("cancelled", "suspended")
    assert BillingAccount.objects.get(pk=account.pk).archive_after is not None

    # ...the territory subscribes again: a new checkout, a new subscription, adopted by
    # its first event (incomplete: no change yet); its first payment reactivates.
    assert stripe_events.deliver("resubscribe.subscription_created") == "recorded"
    assert state_of(territory_a) == ("cancelled", "suspended")
    assert stripe_events.deliver("resubscribe.invoice_paid") == "active"
    assert stripe_events.deliver("resubscribe.subscription_active") == "active"
    assert stripe_events.deliver("resubscribe.checkout_completed") == "active"
    assert stripe_events.deliver("resubscribe.late_old_subscription") == (
        "ignored: another subscription"
    )
    account = BillingAccount.objects.get(pk=account.pk)
    assert (account.state, account.archive_after, account.cancelled_at) == ("active", None, None)
    assert account.stripe_subscription_id == "sub_1SaH2rJx8mZp4Kd2Xy5Vw3Ut"
    # Housekeeping long after the first cancellation's retention period: nothing happens.
    assert actions.housekeeping(
        stripe_events.time("cancel.subscription_deleted") + timedelta(days=200)
    ) == {
        "reminders": 0,
        "suspended": 0,
        "archived": 0,
    }
    assert state_of(territory_a) == ("active", "active")

    # Cancelled for good: archived when the retention period is over.
    assert stripe_events.deliver("end.subscription_deleted") == "cancelled"
    ended = stripe_events.time("end.subscription_deleted")
    assert actions.housekeeping(ended + timedelta(days=89))["archived"] == 0
    assert actions.housekeeping(ended + timedelta(days=90, seconds=1))["archived"] == 1
    assert state_of(territory_a) == ("archived", "archived")
    # Every delivery was stored once, with what it did.
    assert StripeEvent.objects.filter(territory=territory_a).count() == len(stripe_events.events)


def test_a_notice_is_not_lost_when_the_mail_server_is_down(
    network_client: HostClient,
    territory_a: Territory,
    stripe_on: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_events = Stripe(network_client, territory_a)
    actions.open_billing_account(
        territory=territory_a, plan_key="city", method="stripe", acting_user=None
    )
    stripe_events.deliver("pay.checkout_completed")
    # The notice is stored with the state change, in the same transaction.
    with django_capture_on_commit_callbacks(execute=False) as sending:
        assert stripe_events.deliver("fail.invoice_payment_failed") == "grace"
    assert sending  # the send is queued for after the commit
    (notice,) = OutboundEmail.objects.filter(purpose="billing/email/notice")
    assert notice.to == ["anna@example.org"] and notice.sent_at is None

    # The worker tries while the SMTP server refuses connections: every retry fails,
    # the task becomes a dead letter, the email stays in the outbox, unsent.
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=DOWN_SMTP_PORT,
            EMAIL_TIMEOUT=2,
        ),
        pytest.raises(ConnectionRefusedError),
    ):  # eager: the last error is raised
        send_email.delay(notice.pk)
    notice.refresh_from_db()
    assert notice.sent_at is None
    assert FailedTask.objects.filter(task_name="ops.send_email").exists()
    assert mail.outbox == []

    # Stripe delivers the event again: a duplicate, no second notice...
    assert stripe_events.deliver("fail.invoice_payment_failed") == "duplicate"
    assert OutboundEmail.objects.filter(purpose="billing/email/notice").count() == 1
    # ...and the stored one goes out once the server is back (a retry of the dead letter
    # or the outbox sweep sends it by id).
    assert send_email.apply(args=[notice.pk]).get() == "sent"
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert "Aurora" in mail.outbox[0].subject
