"""`celery -A learning_platform` (deploy/systemd, deploy/compose.yaml) finds the app here.

The app itself lives in the ops layer (`shared_apps.ops.celery_app`), where the outbox,
the probes and the task helpers that need it sit below this top-level package.
"""

from shared_apps.ops.celery_app import app

__all__ = ["app"]
