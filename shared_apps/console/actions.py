"""Writes of the console: figures snapshots, lifecycle changes, entry grants."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.console.models import EntryGrant, TerritoryFigures
from shared_apps.console.selectors import learner_counts
from shared_apps.core.figures import live_figures
from tenant_apps.demand import figures as demand_figures
from tenants.actions import change_territory_status
from tenants.models import Territory

ENTRY_MINUTES = 30
# The sign-in link from the network site to the territory's host: used at once.
ENTRY_LINK_SECONDS = 120
ENTRY_SALT = "console.entry"


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


# The snapshot's columns that the features' live figures give (shared_apps.core.figures).
SNAPSHOT_FIGURES = (
    "verified_providers",
    "published_activities",
    "badges_awarded",
    "searches",
    "empty_searches",
)


def count_figures(territory: Territory, *, now: datetime.datetime) -> dict[str, int]:
    """Count a territory's figures through each feature's registered counters (the
    console never imports tenant models), plus the week before for the trend."""
    counted = {f.key: f.value for f in live_figures(territory, keys=SNAPSHOT_FIGURES)}
    with schema_context(territory.schema_name):
        counted.update(demand_figures.previous_week(now=now))
    return counted


def refresh_territory_figures(territories: list[Territory] | None = None) -> int:
    """Recount every territory's figures (or the given ones) and store the snapshot.
    Returns the number of territories refreshed."""
    now = timezone.now()
    with schema_context("public"):
        if territories is None:
            territories = list(Territory.objects.exclude(status=Territory.Status.PROVISIONING))
        learners = learner_counts()
    for territory in territories:
        counted = count_figures(territory, now=now)
        with schema_context("public"):
            TerritoryFigures.objects.update_or_create(
                territory=territory,
                defaults={
                    **counted,
                    "learners": learners.get(territory.pk, 0),
                    "refreshed_at": now,
                },
            )
    return len(territories)


# ---------------------------------------------------------------------------
# Lifecycle
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str


S = Territory.Status
TRANSITIONS: dict[str, Transition] = {
    "approve": Transition((S.TRIAL,), S.ACTIVE),
    "suspend": Transition((S.TRIAL, S.ACTIVE), S.SUSPENDED),
    "reactivate": Transition((S.SUSPENDED,), S.ACTIVE),
    "archive": Transition((S.TRIAL, S.ACTIVE, S.SUSPENDED), S.ARCHIVED),
}


def available_transitions(territory: Territory) -> list[str]:
    return [key for key, t in TRANSITIONS.items() if territory.status in t.sources]


@transaction.atomic
def change_lifecycle(
    *, territory: Territory, transition: str, reason: str, acting_user: Any
) -> Territory:
    """Approve a pilot, suspend, reactivate or archive, with a reason (audited by
    tenants.actions.change_territory_status)."""
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give a reason.")
    chosen = TRANSITIONS.get(transition)
    if chosen is None or territory.status not in chosen.sources:
        errors["transition"] = _("This change is not possible now.")
    if errors or chosen is None:
        raise ValidationError(errors)
    return change_territory_status(
        territory=territory, status=chosen.target, acting_user=acting_user, reason=reason
    )


# ---------------------------------------------------------------------------
# Entering a territory's admin area
# ---------------------------------------------------------------------------


@transaction.atomic
def grant_entry(*, user: Any, territory: Territory, reason: str) -> tuple[EntryGrant, str]:
    """A time-limited grant and the signed one-time link token that uses it. The caller
    has checked that ``user`` looks after ``territory``."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    grant = EntryGrant.objects.create(
        user=user,
        territory=territory,
        reason=reason[:300],
        expires_at=timezone.now() + datetime.timedelta(minutes=ENTRY_MINUTES),
    )
    record(
        actor=user,
        action=AuditEvent.CONSOLE_ENTRY_GRANTED,
        territory=territory,
        target=grant,
        details={"reason": grant.reason, "expires_at": grant.expires_at.isoformat()},
    )
    return grant, signing.dumps({"grant": grant.pk}, salt=ENTRY_SALT)


@transaction.atomic
def use_entry(*, token: str, territory: Territory) -> EntryGrant:
    """Check a sign-in link on the territory's host and spend it. Raises
    PermissionError when the link is forged, old, spent, expired or for another
    territory."""
    try:
        data = signing.loads(token, salt=ENTRY_SALT, max_age=ENTRY_LINK_SECONDS)
    except signing.BadSignature as error:
        raise PermissionError("bad or old link") from error
    with schema_context("public"):
        grant = (
            EntryGrant.objects.select_for_update()
            .select_related("user")
            .filter(pk=data.get("grant"), territory_id=territory.pk, used_at__isnull=True)
            .first()
        )
        if grant is None or not grant.is_current or not grant.user.is_active:
            raise PermissionError("no such grant")
        grant.used_at = timezone.now()
        grant.save(update_fields=["used_at"])
        record(
            actor=grant.user,
            action=AuditEvent.CONSOLE_ENTERED,
            territory=territory,
            target=grant,
            details={"expires_at": grant.expires_at.isoformat()},
        )
    return grant
