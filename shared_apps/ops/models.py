"""What the background workers leave behind: dead letters and idempotency receipts.

Both live in the public schema; a row names the territory schema it belongs to.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FailedTask(models.Model):
    """A task that failed after its last retry (a dead letter).

    Platform staff see these on the network site and may send one again. Arguments
    are kept as sent (ids and keys by convention, never personal data: see
    shared_apps/ops/tasks.py); the error text is scrubbed of email addresses.
    """

    class State(models.TextChoices):
        FAILED = "failed", _("Failed")
        RETRIED = "retried", _("Sent again")
        DISCARDED = "discarded", _("Discarded")

    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(_("task"), max_length=200)
    schema_name = models.CharField(_("schema"), max_length=63)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    exception_type = models.CharField(_("error"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    retries = models.PositiveIntegerField(_("retries"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.FAILED)
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at"]
        indexes = [models.Index(fields=["state", "-failed_at"])]

    def __str__(self) -> str:
        return f"{self.task_name} in {self.schema_name} ({self.state})"


class TaskReceipt(models.Model):
    """Proof that a task's side effect happened once (see tasks.run_once)."""

    key = models.CharField(max_length=200, unique=True)
    task_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("task receipt")
        verbose_name_plural = _("task receipts")

    def __str__(self) -> str:
        return self.key


class OutboundEmail(models.Model):
    """An email rendered (in its recipient's language) and waiting to be sent, or sent.

    The send task takes only this row's id, so neither the broker nor the dead-letter
    list ever holds an address or a sign-in link. Sent messages are purged after
    settings.OUTBOUND_EMAIL_KEEP_DAYS (tasks.purge_sent_emails).
    """

    purpose = models.CharField(max_length=120)
    language = models.CharField(max_length=10)
    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Last handed to the broker; the outbox sweep sends again what stays unsent.
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")

    def __str__(self) -> str:
        return f"email #{self.pk} ({self.purpose})"


class OutboundTask(models.Model):
    """A task a request wants run, written in the request's transaction (an outbox).

    Sent to the broker after the commit; if the broker is down then, the row waits
    and ``tasks.relay_outbox`` (beat, and every worker start) sends it when the broker
    is back. Arguments are ids and keys, as for every task.
    """

    task_name = models.CharField(max_length=200)
    schema_name = models.CharField(max_length=63)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "outbound task"
        verbose_name_plural = "outbound tasks"

    def __str__(self) -> str:
        return f"{self.task_name} in {self.schema_name}"


class TaskDelivery(models.Model):
    """How often the broker handed one run of a task (id and retry number) to a worker.

    A task that kills its worker is never acknowledged and comes back forever; counted
    here before it runs, it becomes a dead letter after settings.TASK_MAX_DELIVERIES.
    """

    task_id = models.CharField(max_length=64)
    retries = models.PositiveIntegerField(default=0)
    deliveries = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "task delivery"
        verbose_name_plural = "task deliveries"
        constraints = [
            models.UniqueConstraint(fields=["task_id", "retries"], name="ops_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}#{self.retries}: {self.deliveries}"
