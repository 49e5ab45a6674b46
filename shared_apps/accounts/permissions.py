"""DRF permission classes: the same checks as the views, for the API.

DRF authenticates on its own (sessions now, tokens later), so the membership is
looked up again for the user DRF authenticated, in the territory of this host.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from shared_apps.accounts.models import Membership
from shared_apps.accounts.selectors import membership_for


def api_membership(request: Request) -> Membership | None:
    territory = getattr(request, "territory", None)
    if territory is None:
        return None
    cached = getattr(request, "_api_membership", None)
    if cached is not None and cached.user_id == getattr(request.user, "pk", None):
        return cached
    membership = membership_for(request.user, territory)
    request._api_membership = membership  # type: ignore[attr-defined]
    return membership


class IsTerritoryMember(BasePermission):
    message = "You need an account in this territory."

    def has_permission(self, request: Request, view: Any) -> bool:
        return api_membership(request) is not None


class IsTerritoryStaff(BasePermission):
    message = "Only this territory's staff may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        membership = api_membership(request)
        return membership is not None and membership.is_staff


class IsTerritoryAdmin(BasePermission):
    message = "Only this territory's administrators may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        membership = api_membership(request)
        return membership is not None and membership.is_admin


class IsTerritoryMemberOrReadOnly(BasePermission):
    """Reading is open; writing needs a membership in this territory."""

    message = "You need an account in this territory to change anything."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return api_membership(request) is not None
