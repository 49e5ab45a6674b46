"""Recording privileged actions. Called by other apps' actions inside their transaction,
so an action and its audit entry are written together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import models

from shared_apps.audit.events import AuditEvent
from shared_apps.audit.models import AuditEntry
from tenants.models import Territory


def record(
    *,
    actor: Any,
    action: AuditEvent,
    territory: Territory | None = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. ``actor`` is a User, or None for the system/CLI.

    ``action`` is an ``AuditEvent`` member, never a plain string: every code written
    has a sentence people can read (mypy rejects anything else)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        territory=territory,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
    )
