"""The "Badges" section of the territory's home page (one query, whatever the count)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tenant_apps.badges.selectors import public_badges

HOME_BADGES = 6


def section_context(request: HttpRequest) -> dict[str, Any]:
    if getattr(request, "territory", None) is None:
        return {"badges": []}
    badges = list(public_badges().order_by("-award_count", "name")[: HOME_BADGES + 1])
    return {"badges": badges[:HOME_BADGES], "more": len(badges) > HOME_BADGES}
