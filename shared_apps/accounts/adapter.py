"""allauth hooks: the territory-aware parts of signing up and signing in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from shared_apps.accounts.actions import ensure_learner_membership


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        # Signing in on a territory site makes the account a learner there (staff
        # roles are only ever granted explicitly).
        territory = getattr(request, "territory", None)
        if territory is not None:
            request.membership = ensure_learner_membership(  # type: ignore[attr-defined]
                user=user, territory=territory
            )
