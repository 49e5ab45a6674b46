"""Every change to accounts and memberships: atomic and audited where privileged."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from shared_apps.accounts import footprints
from shared_apps.accounts.models import Membership, User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from tenants.models import Territory


def ensure_learner_membership(*, user: User, territory: Territory) -> Membership:
    """Give a signed-in account a learner membership in the territory if it has none."""
    membership, _created = Membership.objects.get_or_create(
        user=user, territory=territory, defaults={"role": Membership.Role.LEARNER}
    )
    return membership


@transaction.atomic
def grant_membership(
    *, user: User, territory: Territory, role: str, acting_user: Any = None
) -> Membership:
    """Set the account's role in the territory (creating the membership if needed)."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, territory=territory, defaults={"role": role}
    )
    previous = None if created else membership.role
    if created:
        # Outlives the membership: rows written as a member stay findable after it ends.
        footprints.note([user.pk], territory.pk)
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    if previous != role:
        record(
            actor=acting_user,
            action=(
                AuditEvent.MEMBERSHIP_ROLE_CHANGED if previous else AuditEvent.MEMBERSHIP_GRANTED
            ),
            territory=territory,
            target=membership,
            details={"user_id": user.pk, "role": role, "previous_role": previous},
        )
    return membership


@transaction.atomic
def change_member_role(*, membership: Membership, role: str, acting_user: User) -> Membership:
    """A territory admin changes a member's role; refuses to leave the territory
    without an admin (the last admin cannot demote themselves)."""
    if role not in Membership.Role.values:
        raise ValueError(f"unknown role {role!r}")
    if (
        membership.role == Membership.Role.TERRITORY_ADMIN
        and role != Membership.Role.TERRITORY_ADMIN
        and not Membership.objects.filter(
            territory_id=membership.territory_id, role=Membership.Role.TERRITORY_ADMIN
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise LastAdminError
    return grant_membership(
        user=membership.user, territory=membership.territory, role=role, acting_user=acting_user
    )


class LastAdminError(Exception):
    """A territory must keep at least one territory admin."""


def set_preferred_language(*, user: Any, language: str) -> None:
    if getattr(user, "preferred_language", None) != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def set_display_name(*, user: User, display_name: str) -> None:
    """The name the platform calls the person (the form has cleaned it). Not audited:
    it is the person's own choice, and an audit entry must hold no personal data."""
    if user.display_name != display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])


@transaction.atomic
def sign_out_everywhere(*, user: User) -> None:
    """End the account's sessions on every host (network site and every territory,
    each keeping its sessions in its own schema): each one fails its check on its next
    request (User.get_session_auth_hash). Not audited: it is the person's own sign-out,
    and an audit row would only record when they were online."""
    user.session_stamp = secrets.token_hex(16)
    user.save(update_fields=["session_stamp"])
