"""The request as our middleware leaves it, for type checking views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from shared_apps.accounts.models import Membership, User
    from tenants.models import Territory


class TerritoryRequest(HttpRequest):
    """``territory`` is None on the network site; ``membership`` is the signed-in
    account's membership in that territory, checked on this request."""

    territory: Territory | None
    membership: Membership | None
    urlconf: str


class StaffRequest(TerritoryRequest):
    """Inside views guarded by territory_*_required: both are set."""

    territory: Territory
    membership: Membership
    user: User
