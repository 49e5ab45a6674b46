"""Retries, dead letters, idempotency, email and the beat schedule (tasks run eagerly
here; tests/shared_apps/ops/test_worker.py runs them through Redis and a worker)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.ops.beat import TerritoryScheduler
from shared_apps.ops.celery_app import app
from shared_apps.ops.email import queue_email, recipient_language
from shared_apps.ops.models import FailedTask, OutboundEmail, OutboundTask, TaskReceipt
from shared_apps.ops.tasks import PermanentError, platform_task, run_once, send_email
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient

calls: list[str] = []


@platform_task(name="tests.flaky")
def flaky(fail_times: int) -> str:
    """Fails with a transient error ``fail_times`` times, then succeeds."""
    calls.append("flaky")
    if len(calls) <= fail_times:
        raise ConnectionError("mail server at 10.0.0.7 refused ada@example.org")
    return "done"


@platform_task(name="tests.broken")
def broken() -> None:
    calls.append("broken")
    raise PermanentError("this badge class was deleted")


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    calls.clear()


def test_transient_errors_are_retried_then_succeed(territory_a: Territory) -> None:
    with tenant_context(territory_a):
        assert flaky.delay(2).get() == "done"
    assert calls == ["flaky"] * 3
    assert not FailedTask.objects.exists()


def test_after_the_last_retry_the_task_becomes_a_scrubbed_dead_letter(
    territory_a: Territory,
) -> None:
    with tenant_context(territory_a), pytest.raises(ConnectionError):
        flaky.delay(99)
    assert len(calls) == 1 + settings.TASK_MAX_RETRIES
    failed = FailedTask.objects.get()
    assert failed.task_name == "tests.flaky"
    assert failed.schema_name == "t_aurora"
    assert failed.args == [99]
    assert failed.retries == settings.TASK_MAX_RETRIES
    assert failed.exception_type == "builtins.ConnectionError"
    assert "ada@example.org" not in failed.message
    assert "10.0.0.7" not in failed.message
    assert failed.message == "mail server at [redacted] refused [redacted]"


def test_permanent_errors_are_not_retried(territory_b: Territory) -> None:
    with tenant_context(territory_b), pytest.raises(PermanentError):
        broken.delay()
    assert calls == ["broken"]
    failed = FailedTask.objects.get()
    assert (failed.schema_name, failed.retries) == ("t_borealis", 0)


def test_run_once_guards_a_side_effect(db: None) -> None:
    done: list[int] = []
    for _attempt in range(3):
        with run_once("badge-batch:7", task_name="tests") as first_time:
            if first_time:
                done.append(1)
    assert done == [1]
    assert TaskReceipt.objects.filter(key="badge-batch:7").count() == 1

    # A failing block leaves no receipt: the retry does the work.
    with pytest.raises(RuntimeError), run_once("badge-batch:8") as first_time:
        assert first_time
        raise RuntimeError("signing key unavailable")
    assert not TaskReceipt.objects.filter(key="badge-batch:8").exists()


# ---- dead letters on the network site ---------------------------------------------------


@pytest.fixture
def dead_letter(territory_a: Territory) -> FailedTask:
    with tenant_context(territory_a), pytest.raises(PermanentError):
        broken.delay()
    calls.clear()
    return FailedTask.objects.get()


def test_platform_staff_see_and_send_a_dead_letter_again(
    dead_letter: FailedTask, network_client: HostClient, user: Callable[[str], User]
) -> None:
    network_client.sign_in(user("pat"))
    page = network_client.get("/ops/failed-tasks/")
    assert page.status_code == 200
    assert "tests.broken" in page.content.decode()
    assert "this badge class was deleted" in page.content.decode()

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = network_client.post(f"/ops/failed-tasks/{dead_letter.pk}/retry/")
    assert response.status_code == 302
    dead_letter.refresh_from_db()
    assert dead_letter.state == FailedTask.State.RETRIED
    assert calls == ["broken"]  # ran again (and failed again: a new dead letter)
    assert FailedTask.objects.filter(state=FailedTask.State.FAILED).count() == 1
    assert AuditEntry.objects.filter(action="ops.task_retried").count() == 1

    # Sending the same letter twice is refused.
    response = network_client.post(f"/ops/failed-tasks/{dead_letter.pk}/retry/", follow=True)
    assert "already sent again or discarded" in response.content.decode()


def test_discard(
    dead_letter: FailedTask, network_client: HostClient, user: Callable[[str], User]
) -> None:
    network_client.sign_in(user("pat"))
    network_client.post(f"/ops/failed-tasks/{dead_letter.pk}/discard/")
    dead_letter.refresh_from_db()
    assert dead_letter.state == FailedTask.State.DISCARDED
    assert calls == []


@pytest.mark.parametrize("name", ["anna", "cora", "ada"])
def test_dead_letters_are_for_platform_staff_only(
    dead_letter: FailedTask, network_client: HostClient, user: Callable[[str], User], name: str
) -> None:
    network_client.sign_in(user(name))
    assert network_client.get("/ops/failed-tasks/").status_code == 403
    assert network_client.post(f"/ops/failed-tasks/{dead_letter.pk}/retry/").status_code == 403
    dead_letter.refresh_from_db()
    assert dead_letter.state == FailedTask.State.FAILED


def test_dead_letters_do_not_exist_on_territory_hosts(
    dead_letter: FailedTask, client_for: ClientFor, territory_a: Territory, user: Any
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("pat"))
    assert client.get("/ops/failed-tasks/").status_code == 404


# ---- email -------------------------------------------------------------------------------


def test_email_is_rendered_in_the_recipients_language_and_sent_once(
    territory_a: Territory, user: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    ada = user("ada")
    ada.preferred_language = "de"
    ada.save()
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(
            to=[ada.email],
            template_prefix="account/email/unknown_account",
            context={
                "email": ada.email,
                "signup_url": "http://aurora.localhost/accounts/signup/",
                "current_site": {"name": "Aurora", "domain": "aurora.localhost"},
            },
            language=recipient_language(ada),
        )
    assert len(mail.outbox) == 1
    assert "Hallo von Aurora" in mail.outbox[0].body
    email.refresh_from_db()
    assert email.sent_at is not None and email.language == "de"

    # Run again (a redelivery, a retry from the dead-letter list): nothing is resent.
    assert send_email.delay(email.pk).get() == "already-sent"
    assert len(mail.outbox) == 1


def test_email_task_retries_while_the_mail_server_fails(
    territory_a: Territory, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.shared_apps.ops.mail_backends.FailingTwice"
    from tests.shared_apps.ops import mail_backends

    mail_backends.attempts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(
            to=["learner@example.org"],
            template_prefix="account/email/unknown_account",
            context={"current_site": {"name": "Aurora", "domain": "aurora.localhost"}},
            language="lt",
        )
    assert len(mail_backends.attempts) == 3
    email.refresh_from_db()
    assert email.sent_at is not None


def test_allauth_mail_goes_through_the_task_in_the_accounts_language(
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    bea = user("bea")
    bea.preferred_language = "fr"
    bea.save()
    # Sent once the request's transaction commits (here: the test's, captured).
    with django_capture_on_commit_callbacks(execute=True):
        client_for(territory_b).post("/accounts/password/reset/", {"email": bea.email})
    assert len(mail.outbox) == 1
    stored = OutboundEmail.objects.get()
    assert stored.sent_at is not None
    assert stored.language == "fr"
    assert stored.purpose == "account/email/password_reset_key"
    assert "Bonjour" in mail.outbox[0].body


def test_sent_emails_are_purged_after_a_week(db: None) -> None:
    old = OutboundEmail.objects.create(
        purpose="x", language="en", from_email="a@b.c", to=["d@e.f"], subject="s", body="b"
    )
    OutboundEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=8))
    unsent = OutboundEmail.objects.create(
        purpose="x", language="en", from_email="a@b.c", to=["d@e.f"], subject="s", body="b"
    )
    from shared_apps.ops.tasks import purge_sent_emails

    assert purge_sent_emails.delay().get() == 1
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [unsent.pk]


# ---- beat ---------------------------------------------------------------------------------


def expired_session() -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    return str(store.session_key)


def test_beat_sends_territory_entries_into_every_live_territory(
    territory_a: Territory, territory_b: Territory
) -> None:
    with tenant_context(territory_a):
        key_a = expired_session()
    with tenant_context(territory_b):
        key_b = expired_session()
    key_public = expired_session()
    territory_b.status = Territory.Status.ARCHIVED
    territory_b.save()

    app.loader.import_default_modules()  # what a worker does at start: find every task
    scheduler = TerritoryScheduler(app=app, lazy=True)
    scheduler.setup_schedule()
    scheduler.merge_inplace(settings.CELERY_BEAT_SCHEDULE)
    scheduler.apply_entry(scheduler.schedule["clear-expired-sessions@__all_tenants_only__"])

    with tenant_context(territory_a):
        assert not Session.objects.filter(session_key=key_a).exists()
    with tenant_context(territory_b):  # archived: left alone
        assert Session.objects.filter(session_key=key_b).exists()
    assert Session.objects.filter(session_key=key_public).exists()

    scheduler.apply_entry(scheduler.schedule["clear-expired-sessions-network@public"])
    assert not Session.objects.filter(session_key=key_public).exists()


def test_network_wide_housekeeping_is_scheduled_once_in_the_public_schema() -> None:
    """Billing housekeeping and the standby-pool refill walk every territory themselves:
    beat must send them once, network-wide, never once per territory."""
    app.loader.import_default_modules()
    scheduler = TerritoryScheduler(app=app, lazy=True)
    scheduler.setup_schedule()
    scheduler.merge_inplace(settings.CELERY_BEAT_SCHEDULE)
    for name in ("billing-housekeeping", "standby-pool-refill"):
        assert f"{name}@public" in scheduler.schedule
        assert f"{name}@__all_tenants_only__" not in scheduler.schedule
        assert scheduler.schedule[f"{name}@public"].task in app.tasks
    assert "deserts-nightly@__all_tenants_only__" in scheduler.schedule


# ---- the outbox ----------------------------------------------------------------------


relayed: list[int] = []


@platform_task(name="tests.outbox.record")
def record_relayed(value: int) -> None:
    relayed.append(value)


def test_a_task_sent_while_the_broker_is_down_waits_in_the_outbox_then_is_relayed(
    territory_a: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    from shared_apps.ops import outbox

    relayed.clear()
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:9/0", False
    try:
        started = time.monotonic()
        with tenant_context(territory_a), django_capture_on_commit_callbacks(execute=True):
            row = outbox.send_task_on_commit(record_relayed, args=[7])
        assert time.monotonic() - started < 3  # no waiting on a broker that is not there
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
    row.refresh_from_db()
    assert row.sent_at is None and row.schema_name == "t_aurora" and relayed == []

    # The broker is back (here: tasks run in-process) and the relay's turn comes.
    outbox._broker_down_until = 0.0
    OutboundTask.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox.relay() == {"tasks": 1, "emails": 0}
    row.refresh_from_db()
    assert row.sent_at is not None and relayed == [7]
    assert outbox.relay() == {"tasks": 0, "emails": 0}  # sent once
