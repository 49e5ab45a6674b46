"""Celery app whose tasks run in the schema of the territory that sent them.

tenant-schemas-celery stores the sender's schema in the task headers and switches to
it before the task runs. Without REDIS_URL, tasks run eagerly (in-process).
"""

from __future__ import annotations

import os
from typing import Any

from celery.signals import beat_init, worker_init
from django.core.exceptions import ImproperlyConfigured
from tenant_schemas_celery.app import CeleryApp

from shared_apps.core.checks import refuse_incomplete_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")

app = CeleryApp("learning_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_incomplete_configuration(**kwargs: Any) -> None:
    """A worker or beat with an incomplete production configuration does not start."""
    try:
        refuse_incomplete_configuration()
    except ImproperlyConfigured as error:
        # Celery logs an Exception raised by a signal handler and goes on; SystemExit
        # is no Exception: it ends the process, with the message on stderr.
        raise SystemExit(str(error)) from None


# Renews the messages each worker holds, so a short visibility timeout re-runs a dead
# worker's tasks quickly without handing a long task to a second worker.
from shared_apps.ops.worker import HeldMessagesLease  # noqa: E402

app.steps["consumer"].add(HeldMessagesLease)
