"""The worker-process side of tenants.release.

Spawned workers unpickle these functions by importing this module before Django is
set up, so it imports nothing that needs the app registry at module level.
"""

from __future__ import annotations

import django
from django.db import connections


def init() -> None:
    django.setup()


def migrate(schema_name: str) -> tuple[str, str | None]:
    from tenants import (
        release,  # cycle: needs the app registry; workers import this module before setup
    )

    try:
        return schema_name, release._migrate_one(schema_name)
    finally:
        connections.close_all()
