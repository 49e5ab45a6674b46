"""``{% activity_playlists activity %}``: the hook the catalogue's activity page uses to
list the published playlists an activity belongs to (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from tenant_apps.playlists.selectors import playlists_of_activity

register = template.Library()


@register.inclusion_tag("playlists/partials/activity_playlists.html")
def activity_playlists(activity: Any) -> dict[str, Any]:
    return {"playlists": playlists_of_activity(activity.pk)}
