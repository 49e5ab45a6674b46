"""Reads about accounts and their roles."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shared_apps.accounts.models import Coordinator, Membership, User
from tenants.models import Territory

# Accounts made from a printed code card (shared_apps.guardians.cards) have no email:
# their address is a placeholder in this reserved domain, which can never receive mail
# (notifications skip them; badges name such a recipient by URL instead).
CARD_EMAIL_DOMAIN = "cards.invalid"


def is_card_account(user: Any) -> bool:
    return str(getattr(user, "email", "")).endswith("@" + CARD_EMAIL_DOMAIN)


def membership_for(user: Any, territory: Territory) -> Membership | None:
    """The account's membership in the territory, or None (anonymous, or none yet)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user_id=user.pk, territory_id=territory.pk).first()


def territory_members(territory: Territory) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(territory=territory)
        .select_related("user")
        .order_by("role", "user__email")
    )


def coordinated_territories(user: User) -> QuerySet[Territory]:
    """Territories a coordinator looks after (none for anyone else)."""
    coordinator = Coordinator.objects.filter(user=user).first()
    if coordinator is None:
        return Territory.objects.none()
    if coordinator.all_territories:
        return Territory.objects.all()
    return coordinator.territories.all()


def is_coordinator(user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and Coordinator.objects.filter(user_id=user.pk).exists()
    )


def display_for_self(user: Any) -> str:
    """How allauth names the account to its holder ("Signed in as ..."): the display
    name, else the email address. Only ever shown to the person themselves; other
    people see ``str(user)`` (the name, else "account #17", never the email)."""
    return str(getattr(user, "display_name", "") or getattr(user, "email", "") or user)
