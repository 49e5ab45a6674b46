"""Reads of the backpack index. Every query is filtered by its owner (or, for share
pages, by an opted-in public flag); nothing here lists another person's badges."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.http import Http404

from shared_apps.accounts.models import User
from shared_apps.backpack.models import BackpackEntry, email_digest
from shared_apps.guardians.selectors import is_restricted


def _owner_filter(user: User) -> Q:
    # Awards made to an address before its owner had an account belong to whoever has
    # verified that address since.
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    digests = [email_digest(email) for email in set(verified)]
    return Q(user=user) | Q(user__isnull=True, email_digest__in=digests)


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
