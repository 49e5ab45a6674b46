"""Background work: the base task every app's tasks use, and the platform's own tasks.

Conventions (README "Building on the platform"):

- Declare tasks with ``@platform_task(...)``. They run in the schema of the territory
  that sent them (tenant-schemas-celery), are retried with exponential backoff and
  jitter on transient errors, are acknowledged late (a task whose worker dies is run
  again) and, after the last retry, land in the dead-letter list (FailedTask) that
  platform staff can inspect and send again on the network site.
- Arguments are ids and keys, never personal data: they travel through Redis and are
  kept in the dead-letter list. Re-fetch the rows inside the task.
- Tasks are idempotent: they may run twice (late acknowledgement, a retry after a
  timeout, staff sending a dead letter again). Check state before acting, or wrap the
  side effect in ``run_once(key)``.
- Raise ``PermanentError`` for failures a retry cannot fix (it goes straight to the
  dead-letter list).
- Send a task from inside an action with ``outbox.send_task_on_commit(t, args=[id])``:
  stored in the action's transaction, sent after the commit (so the worker finds the
  committed rows), and sent later by the relay if the broker is down then.
- A task whose worker dies is delivered again; after settings.TASK_MAX_DELIVERIES
  deliveries of the same run it becomes a dead letter instead (count_delivery).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from tenant_schemas_celery.task import TenantTask

from shared_apps.ops.models import (
    FailedTask,
    OutboundEmail,
    OutboundTask,
    TaskDelivery,
    TaskReceipt,
)
from shared_apps.ops.outbox import relay
from shared_apps.ops.sentry import scrub_text

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


class PermanentError(Exception):
    """A failure no retry can fix: the task goes to the dead-letter list at once."""


class RetryableError(Exception):
    """A failure worth retrying that is none of the usual transient ones."""


# Errors worth another try: the database, the network, a mail server, S3 (botocore's
# connection errors are OSErrors), or a row not committed yet.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseError,
    OSError,
    TimeoutError,
    smtplib.SMTPException,
    RetryableError,
)


class PlatformTask(TenantTask):
    """Base class of every task: retries with backoff, late acks, dead letters."""

    abstract = True
    autoretry_for = TRANSIENT_ERRORS
    dont_autoretry_for = (PermanentError,)
    max_retries = settings.TASK_MAX_RETRIES
    # Seconds before the first retry; doubled each time, jittered, at most 10 minutes.
    retry_backoff = settings.TASK_RETRY_BACKOFF_SECONDS
    retry_backoff_max = 600
    retry_jitter = True
    acks_late = True
    reject_on_worker_lost = True

    def apply(self, args: Any = None, kwargs: Any = None, *rest: Any, **options: Any) -> Any:
        """Eager runs (development, tests): retries happen in-process, and the final
        error is raised to the caller. Celery's own eager mode raises the first Retry
        instead when task_eager_propagates is on."""
        throw = options.pop("throw", None)
        if throw is None:
            throw = self.app.conf.task_eager_propagates
        result = super().apply(args, kwargs, *rest, throw=False, **options)
        if throw and result.failed():
            raise result.result
        return result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        request = self.request
        if not request.is_eager and request.id:
            retries = int(request.retries or 0)
            deliveries = count_delivery(task_id=str(request.id), retries=retries)
            if deliveries > settings.TASK_MAX_DELIVERIES:
                # Handed to a worker that many times without ever finishing: it kills
                # its worker (memory, a segfault). Stop the loop; staff can look at it.
                record_failed_task(
                    task_id=str(request.id),
                    task_name=self.name,
                    schema_name=connection.schema_name,  # type: ignore[attr-defined]
                    args=list(args),
                    kwargs=dict(kwargs),
                    exc=WorkerLostRepeatedly(
                        f"delivered {deliveries - 1} times, its worker died every time"
                    ),
                    retries=retries,
                )
                return None
        return super().__call__(*args, **kwargs)

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        record_failed_task(
            task_id=task_id,
            task_name=self.name,
            schema_name=connection.schema_name,  # type: ignore[attr-defined]
            args=list(args or []),
            kwargs=dict(kwargs or {}),
            exc=exc,
            retries=int(getattr(self.request, "retries", 0) or 0),
        )
        super().on_failure(exc, task_id, args, kwargs, einfo)


class WorkerLostRepeatedly(PermanentError):
    """The task never finished: each delivery ended with its worker gone."""


def count_delivery(*, task_id: str, retries: int) -> int:
    """Count one more delivery of this run of a task (committed at once, before the
    task runs, so a worker dying in the task cannot roll it back); how many so far.
    If the database cannot count, the task runs anyway (0)."""
    try:
        with schema_context("public"), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ops_taskdelivery (task_id, retries, deliveries, created_at) "
                "VALUES (%s, %s, 1, now()) ON CONFLICT (task_id, retries) "
                "DO UPDATE SET deliveries = ops_taskdelivery.deliveries + 1 "
                "RETURNING deliveries",
                [task_id[:64], retries],
            )
            row = cursor.fetchone()
    except DatabaseError:
        logger.warning("could not count the delivery of task %s", task_id)
        return 0
    return int(row[0]) if row else 0


def platform_task(*args: Any, **options: Any) -> Any:
    """``@platform_task`` / ``@platform_task(name=..., max_retries=...)``."""
    options.setdefault("base", PlatformTask)
    if len(args) == 1 and callable(args[0]) and not options.keys() - {"base"}:
        return shared_task(base=options["base"])(args[0])
    return shared_task(*args, **options)


def record_failed_task(
    *,
    task_id: str,
    task_name: str,
    schema_name: str,
    args: list[Any],
    kwargs: dict[str, Any],
    exc: BaseException,
    retries: int,
) -> FailedTask | None:
    """Write the dead letter (in the public schema); never raises."""
    try:
        with schema_context("public"):
            failed, _ = FailedTask.objects.update_or_create(
                task_id=task_id,
                defaults={
                    "task_name": task_name,
                    "schema_name": schema_name,
                    "args": scrub_text(args),
                    "kwargs": scrub_text(kwargs),
                    "exception_type": f"{type(exc).__module__}.{type(exc).__qualname__}"[:200],
                    "message": scrub_text(str(exc))[:2000],
                    "retries": retries,
                    "state": FailedTask.State.FAILED,
                },
            )
    except Exception:
        # The database may be what failed; the log line still tells the story.
        logger.exception("could not record failed task %s (%s)", task_name, task_id)
        return None
    logger.error(
        "task failed after %d retries: %s (%s) in %s", retries, task_name, task_id, schema_name
    )
    return failed


@contextmanager
def run_once(key: str, *, task_name: str = "") -> Iterator[bool]:
    """Guard a side effect so it happens once per ``key``, however often a task runs.

        with run_once(f"badge-batch:{batch.pk}") as first_time:
            if first_time:
                sign_batch(batch)

    The receipt is written in the same transaction as whatever the block writes: if
    the block fails, neither stays and a retry does the work. Side effects outside the
    database (an email, an HTTP call) are at least once, not exactly once.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                TaskReceipt.objects.create(key=key[:200], task_name=task_name[:200])
        except IntegrityError:
            yield False
            return
        yield True


# ---- email ------------------------------------------------------------------------------


class EmailNotCommittedYet(RetryableError):
    pass


@platform_task(name="ops.send_email")
def send_email(email_id: int) -> str:
    """Send one OutboundEmail through settings.EMAIL_BACKEND; idempotent."""
    with schema_context("public"), transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            # Sent from a transaction that has not committed yet: try again shortly.
            raise EmailNotCommittedYet(f"outbound email {email_id} not found")
        if email.sent_at is not None:
            return "already-sent"
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=email.from_email,
            to=email.to,
            headers=email.headers,
            connection=get_connection(),
        )
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        message.send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])
    return "sent"


@platform_task(name="ops.purge_sent_emails")
def purge_sent_emails() -> int:
    """Delete sent emails older than OUTBOUND_EMAIL_KEEP_DAYS (they hold addresses
    and links; nothing needs them once delivered)."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOUND_EMAIL_KEEP_DAYS)
    with schema_context("public"):
        deleted, _ = OutboundEmail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


@platform_task(name="ops.relay_outbox")
def relay_outbox() -> dict[str, int]:
    """Send the tasks and emails requests could not hand to the broker (beat runs
    this every minute; every worker start too)."""

    return relay()


@platform_task(name="ops.purge_task_records")
def purge_task_records() -> int:
    """Forget idempotency receipts and resolved dead letters older than 90 days,
    delivery counts and relayed outbox rows older than a week."""
    cutoff = timezone.now() - timedelta(days=90)
    week = timezone.now() - timedelta(days=7)
    with schema_context("public"):
        TaskDelivery.objects.filter(created_at__lt=week).delete()
        OutboundTask.objects.filter(sent_at__lt=week).delete()
        receipts, _ = TaskReceipt.objects.filter(created_at__lt=cutoff).delete()
        letters, _ = (
            FailedTask.objects.exclude(state=FailedTask.State.FAILED)
            .filter(failed_at__lt=cutoff)
            .delete()
        )
    return receipts + letters
