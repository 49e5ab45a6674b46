"""Tasks and emails leave a request through the database, never straight to the broker.

    send_task_on_commit(compute_deserts_task, args=[run.pk])

writes an OutboundTask row in the caller's transaction and, once that commits, hands
the task to the broker. If the broker (Redis) is stopped or frozen then, the request
is not failed and does not wait: the row stays unsent and ``relay_outbox`` (a beat
entry every RELAY_SECONDS, and every worker start) sends it when the broker is back.
Emails use their own OutboundEmail row the same way (shared_apps/ops/email.py).

Sending is at least once (a relay may send a row whose on-commit send is still in
flight): tasks are idempotent by convention (shared_apps/ops/tasks.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from kombu import Connection

from shared_apps.ops.celery_app import app
from shared_apps.ops.models import OutboundEmail, OutboundTask

logger = logging.getLogger(__name__)

BATCH = 200

_state = threading.Lock()
_broker_down_until = 0.0


def _celery() -> Any:
    return app


def broker_available() -> bool:
    return time.monotonic() >= _broker_down_until


def _mark_broker_down(error: BaseException) -> None:
    global _broker_down_until
    with _state:
        was_up = broker_available()
        _broker_down_until = time.monotonic() + settings.BROKER_RETRY_AFTER_SECONDS
    if was_up:
        logger.warning("broker unavailable (%s): tasks wait in the outbox", type(error).__name__)


@contextmanager
def _producer() -> Iterator[Any]:
    """A connection of its own with short timeouts and no retries: the worker's
    settings (long polls, retry forever) are wrong for a request."""
    app = _celery()
    seconds = settings.REDIS_TIMEOUT_SECONDS
    options = {
        **app.conf.broker_transport_options,
        "socket_timeout": seconds,
        "socket_connect_timeout": seconds,
        "max_retries": 0,
    }
    conn: Connection = app.connection_for_write(transport_options=options, connect_timeout=seconds)
    try:
        with conn.Producer() as producer:
            yield producer
    finally:
        conn.release()


def _send(
    producer: Any, task_name: str, args: list[Any], kwargs: dict[str, Any], schema: str
) -> None:
    app = _celery()
    task: Any = app.tasks[task_name]
    # tenant-schemas-celery takes the schema from the connection at send time.
    with schema_context(schema):
        if app.conf.task_always_eager:
            # A failing eager run is a dead letter already; it must not fail the caller.
            task.apply_async(args=tuple(args), kwargs=kwargs, throw=False)
        else:
            task.apply_async(args=tuple(args), kwargs=kwargs, producer=producer, retry=False)


def _publish(items: Sequence[tuple[str, list[Any], dict[str, Any], str]]) -> int:
    """Send (task, args, kwargs, schema) items in order; how many went out. Never raises."""
    if not items or not broker_available():
        return 0
    sent = 0
    try:
        with _producer() as producer:
            for task_name, args, kwargs, schema in items:
                _send(producer, task_name, args, kwargs, schema)
                sent += 1
    except Exception as error:
        # Broker errors come as kombu/redis/OS errors depending on where they happen;
        # whatever it is, the rows stay unsent for the relay and the caller goes on.
        _mark_broker_down(error)
    return sent


def publish_task_rows(rows: Sequence[OutboundTask]) -> int:
    sent = _publish([(r.task_name, list(r.args), dict(r.kwargs), r.schema_name) for r in rows])
    if sent:
        with schema_context("public"):
            OutboundTask.objects.filter(pk__in=[r.pk for r in rows[:sent]]).update(
                sent_at=timezone.now()
            )
    return sent


def publish_emails(email_ids: Sequence[int]) -> int:
    sent = _publish([("ops.send_email", [pk], {}, "public") for pk in email_ids])
    if sent:
        with schema_context("public"):
            OutboundEmail.objects.filter(pk__in=list(email_ids[:sent])).update(
                queued_at=timezone.now()
            )
    return sent


def send_task_on_commit(
    task: Any, *, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None
) -> OutboundTask:
    """Store the task in the current transaction; send it once that commits."""
    schema = connection.schema_name  # type: ignore[attr-defined]
    with schema_context("public"):
        row = OutboundTask.objects.create(
            task_name=task.name, schema_name=schema, args=list(args), kwargs=dict(kwargs or {})
        )
    transaction.on_commit(lambda: publish_task_rows([row]))
    return row


def relay() -> dict[str, int]:
    """Send what the requests could not: unsent task rows, emails never handed over
    (or handed over long ago and still unsent)."""
    now = timezone.now()
    # A row younger than this is left to its own on-commit send.
    settled = now - timedelta(seconds=settings.OUTBOX_SETTLE_SECONDS)
    # An email handed to the broker but unsent after this is handed over again (its
    # task may have been lost with a broker's memory, or ended as a dead letter).
    requeue = now - timedelta(seconds=settings.OUTBOX_EMAIL_REQUEUE_SECONDS)
    with schema_context("public"):
        with transaction.atomic():
            # Locked while sending, so two relays never send a row twice.
            rows = list(
                OutboundTask.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, created_at__lt=settled)
                .order_by("pk")[:BATCH]
            )
            tasks = publish_task_rows(rows)
        email_ids = list(
            OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lt=settled)
            .exclude(queued_at__gte=requeue)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        emails = publish_emails(email_ids)
    if tasks or emails:
        logger.info("outbox relay sent %d tasks and %d emails", tasks, emails)
    return {"tasks": tasks, "emails": emails}
