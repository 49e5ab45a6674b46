"""Celery signals: log context and metrics for tasks."""

from __future__ import annotations

from typing import Any

from celery.signals import task_failure, task_postrun, task_prerun, task_retry, task_success
from django.db import connection

from shared_apps.ops.logcontext import request_id_var, territory_var
from shared_apps.ops.metrics import TASKS


def _schema_label() -> str:
    schema = getattr(connection, "schema_name", "public")
    if schema == "public":
        return "network"
    # schema_context() leaves a stand-in tenant without a slug: the schema names it too.
    return getattr(getattr(connection, "tenant", None), "slug", None) or schema


@task_prerun.connect(dispatch_uid="ops_task_prerun")
def _task_started(task_id: str = "", **kwargs: Any) -> None:
    # Runs after tenant-schemas-celery switched to the sender's schema.
    request_id_var.set(task_id)
    territory_var.set(_schema_label())


@task_postrun.connect(dispatch_uid="ops_task_postrun")
def _task_finished(**kwargs: Any) -> None:
    request_id_var.set("")
    territory_var.set("")


@task_success.connect(dispatch_uid="ops_task_success")
def _task_succeeded(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(getattr(sender, "name", "?"), "success").inc()


@task_retry.connect(dispatch_uid="ops_task_retry")
def _task_retried(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(getattr(sender, "name", "?"), "retry").inc()


@task_failure.connect(dispatch_uid="ops_task_failure")
def _task_failed(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(getattr(sender, "name", "?"), "failure").inc()
