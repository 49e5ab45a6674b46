"""Reads for the console. Every read is scoped to what the account may see: platform
staff see every territory, a coordinator the territories assigned to them (or all of
them with ``all_territories``), anyone else nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from shared_apps.accounts.models import Coordinator, Membership
from shared_apps.audit.models import AuditEntry
from shared_apps.console.models import EntryGrant
from tenants.models import Territory

# ?sort= keys of the console's table and what they order by.
# The figures of a territory, in the order the table, the CSV and the API give them.
FIGURE_COLUMNS = [
    "verified_providers",
    "published_activities",
    "learners",
    "badges_awarded",
    "searches",
    "searches_previous",
    "empty_searches",
    "empty_searches_previous",
]

SORTS: dict[str, str] = {
    "name": "name",
    "status": "status",
    "plan": "billing__plan",
    "providers": "figures__verified_providers",
    "activities": "figures__published_activities",
    "learners": "figures__learners",
    "badges": "figures__badges_awarded",
    "searches": "figures__searches",
    "empty": "figures__empty_searches",
}


def can_use_console(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or Coordinator.objects.filter(user_id=user.pk).exists()


def console_territories(user: Any) -> QuerySet[Territory]:
    """The territories this account looks after, as one query (no per-row lookups)."""
    territories = Territory.objects.exclude(status=Territory.Status.PROVISIONING)
    if not getattr(user, "is_authenticated", False):
        return territories.none()
    if user.is_staff:
        return territories
    assigned = Coordinator.territories.through.objects.filter(
        territory_id=OuterRef("pk"), coordinator__user_id=user.pk
    )
    everything = Coordinator.objects.filter(user_id=user.pk, all_territories=True)
    return territories.filter(Q(Exists(assigned)) | Q(Exists(everything)))


def console_territory(user: Any, slug: str) -> Territory | None:
    return console_territories(user).filter(slug=slug).first()


def territory_rows(user: Any, sort: str = "name") -> list[Territory]:
    """Territories with their plan and figures (``figures`` may be missing until the
    first refresh), sorted by a SORTS key, "-" for descending."""
    descending = sort.startswith("-")
    field = SORTS.get(sort.lstrip("-"), "name")
    order = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return list(
        console_territories(user).select_related("figures", "billing").order_by(order, "name")
    )


@dataclass(frozen=True)
class Totals:
    verified_providers: int
    published_activities: int
    learners: int
    badges_awarded: int
    searches: int
    searches_previous: int
    empty_searches: int
    empty_searches_previous: int


def totals(rows: list[Territory]) -> Totals:
    """Sums over the rows already read (no query)."""
    names = list(Totals.__dataclass_fields__)
    sums = dict.fromkeys(names, 0)
    for territory in rows:
        figures = getattr(territory, "figures", None)
        if figures is None:
            continue
        for name in names:
            sums[name] += getattr(figures, name)
    return Totals(**sums)


def learner_counts() -> dict[int, int]:
    rows = (
        Membership.objects.filter(role=Membership.Role.LEARNER)
        .values_list("territory_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def current_grant(*, grant_id: int, user_id: int, territory_id: int) -> EntryGrant | None:
    """The signed-in grant of this session, if it is still valid for this territory."""
    return EntryGrant.objects.filter(
        pk=grant_id,
        user_id=user_id,
        territory_id=territory_id,
        used_at__isnull=False,
        expires_at__gt=timezone.now(),
    ).first()


def audit_entries(
    *,
    territories: QuerySet[Territory] | None,
    territory: Territory | None = None,
    action: str = "",
) -> QuerySet[AuditEntry]:
    """Audit entries visible through ``territories`` (None: every entry, for platform
    staff), optionally narrowed to one territory and an action prefix."""
    entries = AuditEntry.objects.select_related("actor", "territory")
    if territories is not None:
        entries = entries.filter(territory__in=territories)
    if territory is not None:
        entries = entries.filter(territory=territory)
    if action:
        entries = entries.filter(action__startswith=action)
    return entries.order_by("-created_at", "-pk")
