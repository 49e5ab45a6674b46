"""Reads of the backpack index. Every query is filtered by its owner (or, for share
pages, by an opted-in public flag); nothing here lists another person's badges."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.http import Http404
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership, User
from shared_apps.backpack.models import BackpackEntry
from shared_apps.core.digests import email_digest
from shared_apps.guardians.selectors import is_restricted
from tenants.models import Territory


def _owner_filter(user: User) -> Q:
    # Awards made to an address before its owner had an account belong to whoever has
    # verified that address since.
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    digests = [email_digest(email) for email in set(verified)]
    return Q(user=user) | Q(user__isnull=True, email_digest__in=digests)


def territory_ids_holding(user: Any, emails: set[str]) -> list[int]:
    """Territories whose badges sit in the backpack index for the account or one of its
    email addresses (verified or not): a source of shared_apps.accounts.footprints."""
    digests = [email_digest(email) for email in emails]
    return list(
        BackpackEntry.objects.filter(Q(user=user) | Q(email_digest__in=digests))
        .values_list("territory_id", flat=True)
        .distinct()
    )


def entries_for(user: User) -> QuerySet[BackpackEntry]:
    """The signed-in learner's badges from every territory, newest first."""
    if not user.is_authenticated:
        return BackpackEntry.objects.none()
    return (
        BackpackEntry.objects.filter(_owner_filter(user))
        .select_related("territory")
        .order_by("-issued_on")
    )


def owned_entry(user: User, entry_id: int, *, for_update: bool = False) -> BackpackEntry:
    """One of the learner's own entries; anyone else's is a 404, never a 403 (which
    would confirm that the entry exists)."""
    queryset = BackpackEntry.objects.filter(_owner_filter(user), pk=entry_id)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    entry = queryset.first()
    if entry is None:
        raise Http404
    return entry


def shared_entry(token: str) -> BackpackEntry:
    entry = (
        BackpackEntry.objects.filter(share_token=token, is_public=True)
        .select_related("territory")
        .first()
    )
    # Shared while allowed, hidden once the owner is restricted (consent withdrawn).
    if entry is None or is_restricted(entry.user_id):
        raise Http404
    return entry


def public_entry(territory_id: int, award_uuid: Any) -> BackpackEntry | None:
    """The entry of an award its owner made public (None if private, or if the owner
    is restricted): the territory's award page is 404 for others without it."""
    entry = BackpackEntry.objects.filter(
        territory_id=territory_id, award_uuid=award_uuid, is_public=True
    ).first()
    if entry is None or is_restricted(entry.user_id):
        return None
    return entry


def entry_of_award(territory_id: int, award_uuid: Any) -> BackpackEntry | None:
    return BackpackEntry.objects.filter(territory_id=territory_id, award_uuid=award_uuid).first()


class Followed(Protocol):
    """Something the account follows in a territory, with how far it got (a playlist)."""

    @property
    def title(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def steps_done(self) -> int: ...
    @property
    def steps_total(self) -> int: ...
    @property
    def completed(self) -> bool: ...


# Feature apps register, from their AppConfig.ready(), what an account follows in the
# current territory's schema (tenant_apps.playlists: its playlists); the network-level
# backpack never imports a territory app. One query per source and territory.
FollowedSource = Callable[[int], Sequence[Followed]]
_followed_sources: list[FollowedSource] = []


def register_followed(source: FollowedSource) -> None:
    """Add what ``source(user_id)`` lists to the passport (idempotent)."""
    if source not in _followed_sources:
        _followed_sources.append(source)


@dataclass(frozen=True)
class Place:
    """One territory of the account, with what they follow there."""

    territory: Territory
    role: str
    playlists: list[Followed]


def passport(user: User) -> list[Place]:
    """The account's live territories and the playlists it follows in each: one query
    for the memberships and one per territory the person belongs to (a handful), never
    per territory of the network."""
    memberships = (
        Membership.objects.filter(
            user=user, territory__status__in=(Territory.Status.TRIAL, Territory.Status.ACTIVE)
        )
        .select_related("territory")
        .order_by("territory__name")
    )
    places = []
    for membership in memberships:
        with tenant_context(membership.territory):
            followed = [item for source in _followed_sources for item in source(user.pk)]
        places.append(
            Place(
                territory=membership.territory,
                role=membership.get_role_display(),
                playlists=followed,
            )
        )
    return places
