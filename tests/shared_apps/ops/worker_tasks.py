"""Tasks only the worker started by test_worker.py loads (celery worker -I ...)."""

from __future__ import annotations

from shared_apps.ops.tasks import platform_task


@platform_task(name="tests.worker.always_fails")
def always_fails(badge_class_id: int) -> None:
    raise ConnectionError(f"signing service unreachable for badge class {badge_class_id}")
