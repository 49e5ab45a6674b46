"""Tasks only the worker started by test_worker.py loads (celery worker -I ...)."""

from __future__ import annotations

from shared_apps.ops.tasks import platform_task


@platform_task(name="tests.worker.always_fails")
def always_fails(badge_class_id: int) -> None:
    raise ConnectionError(f"signing service unreachable for badge class {badge_class_id}")


def _note(path: str, line: str) -> None:
    with open(path, "a") as out:
        out.write(line + "\n")


@platform_task(name="tests.worker.kills_its_worker")
def kills_its_worker(marker: str) -> None:
    """Like a task that runs out of memory: the worker process dies every time."""
    import os

    _note(marker, "delivered")
    os._exit(1)


@platform_task(name="tests.worker.takes_its_time")
def takes_its_time(marker: str, seconds: float) -> None:
    import time

    _note(marker, "started")
    time.sleep(seconds)
    _note(marker, "finished")
