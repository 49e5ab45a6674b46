"""Reads for the operations pages."""

from __future__ import annotations

from django.db.models import QuerySet

from shared_apps.ops.models import FailedTask


def failed_tasks(*, state: str = FailedTask.State.FAILED) -> QuerySet[FailedTask]:
    return FailedTask.objects.filter(state=state).order_by("-failed_at", "-pk")


def pending_failed_task_count() -> int:
    return FailedTask.objects.filter(state=FailedTask.State.FAILED).count()
