"""What platform staff do with dead letters: send again or discard."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.ops.celery_app import app
from shared_apps.ops.models import FailedTask
from shared_apps.ops.outbox import send_task_on_commit
from tenants.models import Territory

logger = logging.getLogger(__name__)


def _locked(failed_task: FailedTask) -> FailedTask:
    with schema_context(get_public_schema_name()):
        locked = FailedTask.objects.select_for_update().get(pk=failed_task.pk)
    if locked.state != FailedTask.State.FAILED:
        raise ValidationError(_("This task was already sent again or discarded."))
    return locked


@transaction.atomic
def retry_failed_task(*, failed_task: FailedTask, acting_user: Any) -> FailedTask:
    """Send a dead letter again, in its territory's schema, once this commits."""
    locked = _locked(failed_task)
    task = app.tasks.get(locked.task_name)
    if task is None:
        raise ValidationError(_("No such task in this version of the platform."))
    territory = None
    if locked.schema_name != get_public_schema_name():
        territory = Territory.objects.filter(schema_name=locked.schema_name).first()
        if territory is None or not territory.is_live:
            raise ValidationError(_("The territory of this task is no longer live."))
    locked.state = FailedTask.State.RETRIED
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["state", "resolved_at"])
    record(
        actor=acting_user,
        action=AuditEvent.OPS_TASK_RETRIED,
        territory=territory,
        target=locked,
        details={"task": locked.task_name},
    )
    # Through the outbox, in the dead letter's schema (tenant-schemas-celery runs it
    # there): the staff's request never fails or waits on the broker.
    with schema_context(locked.schema_name):
        send_task_on_commit(task, args=list(locked.args), kwargs=dict(locked.kwargs))
    return locked


@transaction.atomic
def discard_failed_task(*, failed_task: FailedTask, acting_user: Any) -> FailedTask:
    """Mark a dead letter as dealt with, without running it."""
    locked = _locked(failed_task)
    locked.state = FailedTask.State.DISCARDED
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["state", "resolved_at"])
    record(
        actor=acting_user,
        action=AuditEvent.OPS_TASK_DISCARDED,
        target=locked,
        details={"task": locked.task_name},
    )
    return locked
