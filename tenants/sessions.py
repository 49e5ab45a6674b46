"""Periodic housekeeping that has to happen in every territory's schema: expired sessions.

The task names keep the module they were first registered from (shared_apps.core.tasks):
the beat schedule and messages already queued refer to tasks by name.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django_tenants.utils import tenant_context

from shared_apps.ops.tasks import platform_task
from tenants.models import Territory


@platform_task(name="shared_apps.core.tasks.clear_expired_sessions_everywhere")
def clear_expired_sessions_everywhere() -> int:
    """Fan out: sessions live per schema (public and each territory), so each
    territory's expired sessions are cleared by a task running in its schema."""
    SessionStore.clear_expired()  # the network site's, in public
    count = 0
    for territory in Territory.objects.exclude(status=Territory.Status.PROVISIONING).iterator():
        with tenant_context(territory):
            # Sent from inside the territory's schema: tenant-schemas-celery runs it there.
            clear_expired_sessions.delay()
        count += 1
    return count


@platform_task(name="shared_apps.core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Clear expired sessions of the schema the task runs in."""
    SessionStore.clear_expired()
