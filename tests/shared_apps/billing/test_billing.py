"""Billing: Stripe Checkout and portal against a local HTTP stand-in for Stripe's API,
webhooks with real signatures (replayed, out of order), grace, suspension, archiving."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
import stripe
from django.core import mail
from django.test import override_settings

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.billing import actions
from shared_apps.billing.models import BillingAccount, StripeEvent
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.servers import port

WEBHOOK_SECRET = "whsec_test_secret"
STRIPE_PORT = port("stripe")  # this checkout's (and xdist worker's) own


class FakeStripe(BaseHTTPRequestHandler):
    """Answers the few Stripe API calls the app makes, and remembers them."""

    calls: list[tuple[str, str, dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = parse_qs(body)
        FakeStripe.calls.append(("POST", self.path, form))
        if self.path == "/v1/checkout/sessions":
            answer = {
                "id": "cs_test_1",
                "object": "checkout.session",
                "url": "https://checkout.stripe.test/c/cs_test_1",
            }
        elif self.path == "/v1/billing_portal/sessions":
            answer = {
                "id": "bps_1",
                "object": "billing_portal.session",
                "url": "https://billing.stripe.test/p/bps_1",
            }
        else:
            self.send_response(404)
            self.end_headers()
            return
        self._json(answer)

    def do_DELETE(self) -> None:
        FakeStripe.calls.append(("DELETE", self.path, {}))
        self._json(
            {"id": self.path.rsplit("/", 1)[-1], "object": "subscription", "status": "canceled"}
        )

    def _json(self, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[list]:
    server = ThreadingHTTPServer(("127.0.0.1", STRIPE_PORT), FakeStripe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield FakeStripe.calls
    server.shutdown()
    server.server_close()


STRIPE_ON = {
    "STRIPE_SECRET_KEY": "sk_test_local",
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "STRIPE_API_BASE": f"http://127.0.0.1:{STRIPE_PORT}",
    "BILLING_PLANS": {
        "city": {"amount": "4800", "interval": "year", "stripe_price": "price_city"},
        "region": {"amount": "9600", "interval": "year", "stripe_price": "price_region"},
    },
}


@pytest.fixture
def stripe_on() -> Iterator[None]:
    with override_settings(**STRIPE_ON):
        yield


@pytest.fixture
def account(territory_a: Territory, stripe_on: None) -> BillingAccount:
    return actions.open_billing_account(
        territory=territory_a, plan_key="city", method="stripe", acting_user=None
    )


def fresh(account: BillingAccount) -> BillingAccount:
    return BillingAccount.objects.select_related("territory").get(pk=account.pk)


_counter = iter(range(1, 1_000_000))


def event(kind: str, obj: dict[str, Any], *, created: int, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{next(_counter)}",
        "object": "event",
        "type": kind,
        "created": created,
        "data": {"object": obj},
    }


def deliver(client: HostClient, payload: dict, *, secret: str = WEBHOOK_SECRET) -> Any:
    body = json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, secret)
    return client.post(
        "/billing/stripe/webhook/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )


def checkout_completed(territory: Territory, created: int, **extra: Any) -> dict:
    return event(
        "checkout.session.completed",
        {
            "object": "checkout.session",
            "id": "cs_1",
            "client_reference_id": str(territory.pk),
            "customer": "cus_1",
            "subscription": "sub_1",
            "payment_status": "paid",
            "metadata": {"territory_id": str(territory.pk), "plan": "region"},
        },
        created=created,
        **extra,
    )


def invoice(kind: str, created: int) -> dict:
    return event(
        kind,
        {"object": "invoice", "id": f"in_{created}", "customer": "cus_1", "subscription": "sub_1"},
        created=created,
    )


def subscription(kind: str, status: str, created: int) -> dict:
    return event(
        kind,
        {
            "object": "subscription",
            "id": "sub_1",
            "customer": "cus_1",
            "status": status,
            "metadata": {},
        },
        created=created,
    )


NOW = int(time.time())


def due(value: datetime | None) -> datetime:
    assert value is not None
    return value


def test_checkout_completed_makes_the_territory_active(
    network_client: HostClient, account: BillingAccount, stripe_on: None
) -> None:
    response = deliver(network_client, checkout_completed(account.territory, NOW))
    assert response.status_code == 200
    account = fresh(account)
    assert (account.state, account.plan, account.stripe_customer_id) == (
        "active",
        "region",
        "cus_1",
    )
    assert account.territory.status == Territory.Status.ACTIVE
    assert AuditEntry.objects.filter(
        action="billing.state_changed", territory=account.territory
    ).exists()


def test_bad_signature_is_refused_and_changes_nothing(
    network_client: HostClient, account: BillingAccount, stripe_on: None
) -> None:
    response = deliver(
        network_client, checkout_completed(account.territory, NOW), secret="whsec_wrong"
    )
    assert response.status_code == 400
    assert fresh(account).state == "awaiting_payment"
    assert not StripeEvent.objects.exists()
    unsigned = network_client.post(
        "/billing/stripe/webhook/", "{}", content_type="application/json"
    )
    assert unsigned.status_code == 400


def test_replayed_event_does_nothing(
    network_client: HostClient, account: BillingAccount, stripe_on: None
) -> None:
    deliver(network_client, checkout_completed(account.territory, NOW - 10))
    failed = invoice("invoice.payment_failed", NOW)
    assert deliver(network_client, failed).content == b"grace"
    started = fresh(account).grace_started_at
    mail_count = len(mail.outbox)
    # Replayed days later: the grace period must not restart, nor the notice go again.
    assert deliver(network_client, failed).content == b"duplicate"
    assert fresh(account).grace_started_at == started
    assert len(mail.outbox) == mail_count
    assert StripeEvent.objects.filter(event_id=failed["id"]).count() == 1


def test_events_out_of_order(
    network_client: HostClient, account: BillingAccount, stripe_on: None
) -> None:
    territory = account.territory
    # The subscription's own event arrives before the checkout's: linked by metadata.
    assert deliver(network_client, checkout_completed(territory, NOW - 50)).content == b"active"
    assert deliver(network_client, invoice("invoice.paid", NOW - 10)).content == b"active"
    # A failure from before the last successful payment, delivered late: ignored.
    late = deliver(network_client, invoice("invoice.payment_failed", NOW - 30))
    assert late.content == b"ignored: older than the state"
    assert fresh(account).state == "active"
    # Cancellation, then an older "paid" arriving late: stays cancelled.
    assert (
        deliver(
            network_client, subscription("customer.subscription.deleted", "canceled", NOW)
        ).content
        == b"cancelled"
    )
    assert deliver(network_client, invoice("invoice.paid", NOW - 5)).content.startswith(b"ignored")
    account = fresh(account)
    assert account.state == "cancelled"
    assert account.territory.status == Territory.Status.SUSPENDED
    assert account.archive_after is not None


def test_failed_payment_grace_then_suspension_then_reactivation(
    network_client: HostClient,
    client_for: ClientFor,
    account: BillingAccount,
    stripe_on: None,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks,
) -> None:
    territory = account.territory
    deliver(network_client, checkout_completed(territory, NOW - 100))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(network_client, invoice("invoice.payment_failed", NOW - 90))
    account = fresh(account)
    assert account.state == "grace"
    assert due(account.grace_ends_at) - due(account.grace_started_at) == timedelta(days=14)
    assert account.territory.status == Territory.Status.ACTIVE  # still fully open
    assert mail.outbox[-1].to == ["anna@example.org"]  # the territory admin is told

    # Reminders, one per run, then suspension when the 14 days are over.
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            actions.housekeeping(due(account.grace_ends_at) - timedelta(days=6))["reminders"] == 1
        )
        assert (
            actions.housekeeping(due(account.grace_ends_at) - timedelta(days=6))["reminders"] == 0
        )
        assert (
            actions.housekeeping(due(account.grace_ends_at) + timedelta(minutes=1))["suspended"]
            == 1
        )
    account = fresh(account)
    assert account.state == "suspended"
    assert account.territory.status == Territory.Status.SUSPENDED

    # Suspended: the public site shows a notice and is read-only for learners...
    learner = client_for(territory)
    learner.sign_in(user("ada"))
    page = learner.get("/")
    assert page.status_code == 200 and 'class="notice notice--warning"' in page.content.decode()
    assert learner.post("/i18n/language/", {"language": "en"}).status_code == 403
    # ...but staff can still sign in and pay.
    visitor = client_for(territory)
    assert (
        visitor.post("/accounts/login/", {"login": "anna@example.org", "password": "x"}).status_code
        != 403
    )
    admin = client_for(territory)
    admin.sign_in(user("anna"))
    response = admin.post("/manage/billing/checkout/", {"plan": "city"})
    assert response.status_code == 302

    # Paying again reactivates.
    deliver(network_client, invoice("invoice.paid", NOW))
    account = fresh(account)
    assert account.state == "active" and account.grace_ends_at is None
    assert account.territory.status == Territory.Status.ACTIVE
    assert learner.post("/i18n/language/", {"language": "en"}).status_code == 302


def test_cancelled_territory_is_archived_after_retention(
    network_client: HostClient, account: BillingAccount, stripe_on: None
) -> None:
    deliver(network_client, checkout_completed(account.territory, NOW - 100))
    deliver(network_client, subscription("customer.subscription.deleted", "canceled", NOW))
    account = fresh(account)
    assert actions.housekeeping(due(account.archive_after) - timedelta(days=1))["archived"] == 0
    assert actions.housekeeping(due(account.archive_after) + timedelta(seconds=1))["archived"] == 1
    account = fresh(account)
    assert account.territory.status == Territory.Status.ARCHIVED


def test_pilot_end_suspends(territory_b: Territory) -> None:
    account = actions.open_billing_account(
        territory=territory_b, plan_key="pilot", method="none", acting_user=None
    )
    assert actions.housekeeping(due(account.pilot_ends_at) - timedelta(days=1))["reminders"] == 1
    assert actions.housekeeping(due(account.pilot_ends_at) + timedelta(seconds=1))["suspended"] == 1
    assert fresh(account).territory.status == Territory.Status.SUSPENDED


def test_checkout_and_portal_call_the_stripe_api(
    client_for: ClientFor,
    account: BillingAccount,
    stripe_on: None,
    fake_stripe: list,
    user: Callable[[str], User],
) -> None:
    admin = client_for(account.territory)
    admin.sign_in(user("anna"))
    response = admin.post("/manage/billing/checkout/", {"plan": "city"})
    assert response["Location"] == "https://checkout.stripe.test/c/cs_test_1"
    method, path, form = fake_stripe[-1]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert form["mode"] == ["subscription"]
    assert form["line_items[0][price]"] == ["price_city"]
    assert form["subscription_data[metadata][territory_id]"] == [str(account.territory.pk)]
    assert form["success_url"][0].startswith("http://aurora.localhost/manage/billing/")

    BillingAccount.objects.filter(pk=account.pk).update(stripe_customer_id="cus_1")
    response = admin.post("/manage/billing/portal/")
    assert response["Location"] == "https://billing.stripe.test/p/bps_1"
    assert fake_stripe[-1][2]["customer"] == ["cus_1"]


def test_billing_pages_are_for_this_territorys_admins(
    client_for: ClientFor,
    account: BillingAccount,
    user: Callable[[str], User],
    territory_b: Territory,
) -> None:
    learner = client_for(account.territory)
    learner.sign_in(user("ada"))
    assert learner.get("/manage/billing/").status_code == 403
    other = client_for(territory_b)
    other.sign_in(user("bruno"))
    actions.open_billing_account(
        territory=territory_b, plan_key="pilot", method="none", acting_user=None
    )
    page = other.get("/manage/billing/").content.decode()
    assert "Pilot" in page and "Aurora" not in page


def test_staff_switch_to_invoice_cancels_stripe_and_is_audited(
    client_for: ClientFor,
    network_client: HostClient,
    account: BillingAccount,
    stripe_on: None,
    fake_stripe: list,
    user: Callable[[str], User],
) -> None:
    deliver(network_client, checkout_completed(account.territory, NOW - 100))
    staff = HostClient("localhost")
    staff.force_login(user("pat"))
    response = staff.post(
        "/admin/billing/billingaccount/",
        {"action": "switch_to_invoice_billing", "_selected_action": [account.pk]},
    )
    assert response.status_code == 302
    assert fake_stripe[-1][:2] == ("DELETE", "/v1/subscriptions/sub_1")
    account = fresh(account)
    assert (account.method, account.state) == ("invoice", "active")
    assert AuditEntry.objects.filter(
        action="billing.switched_to_invoice", actor=user("pat")
    ).exists()
    # Stripe's events about the old subscription change nothing any more.
    deliver(network_client, subscription("customer.subscription.deleted", "canceled", NOW))
    assert fresh(account).state == "active"


def test_webhook_is_off_without_a_secret_and_absent_on_territory_hosts(
    network_client: HostClient, client_for: ClientFor, territory_a: Territory
) -> None:
    assert (
        network_client.post(
            "/billing/stripe/webhook/", "{}", content_type="application/json"
        ).status_code
        == 404
    )
    with override_settings(**STRIPE_ON):
        assert (
            client_for(territory_a)
            .post("/billing/stripe/webhook/", "{}", content_type="application/json")
            .status_code
            == 404
        )
