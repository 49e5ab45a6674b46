"""How a territory's host honours a coordinator's entry grant (registered with
shared_apps.accounts.middleware, asked by MembershipMiddleware when the account has no staff
membership here)."""

from __future__ import annotations

from django.http import HttpRequest

from shared_apps.accounts.models import Membership, User
from shared_apps.console.selectors import current_grant
from tenants.models import Territory

SESSION_KEY = "console_entry_grant"


def entry_membership(request: HttpRequest, territory: Territory) -> Membership | None:
    """An unsaved territory-admin membership while this session's grant is valid for
    this territory and this account; None otherwise (no query without a grant)."""
    grant_id = request.session.get(SESSION_KEY)
    if not grant_id:
        return None
    user: User = request.user  # type: ignore[assignment]  # signed in (middleware checked)
    grant = current_grant(grant_id=int(grant_id), user_id=user.pk, territory_id=territory.pk)
    if grant is None:
        request.session.pop(SESSION_KEY, None)
        return None
    return Membership(user=user, territory=territory, role=Membership.Role.TERRITORY_ADMIN)
