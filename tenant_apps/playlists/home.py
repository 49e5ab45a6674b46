"""The playlists' parts of the territory site's frame: the menu entry and the home
page's "playlists" section (one query, whatever the number of playlists)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shared_apps.core.navigation import register_my_link, register_nav
from tenant_apps.home.sections import register_section
from tenant_apps.manage.links import register_manage_link
from tenant_apps.playlists.selectors import public_playlists

HOME_PLAYLISTS = 6


def section_context(request: HttpRequest) -> dict[str, Any]:
    if getattr(request, "territory", None) is None:
        return {"playlists": []}
    playlists = list(
        public_playlists().only("id", "title", "translations", "estimated_hours")[
            : HOME_PLAYLISTS + 1
        ]
    )
    return {"playlists": playlists[:HOME_PLAYLISTS], "more": len(playlists) > HOME_PLAYLISTS}


def register() -> None:
    register_nav(
        "territory", key="playlists", label=_("Playlists"), url_name="playlists:list", order=30
    )
    register_my_link(
        "territory", key="playlists", label=_("My playlists"), url_name="playlists:mine", order=20
    )
    register_section(
        "playlists",
        order=30,
        template="playlists/home_section.html",
        title=_("Learning playlists"),
        context=section_context,
    )
    register_manage_link(
        "playlists-studio",
        label=_("Playlists"),
        url_name="playlists:studio",
        order=35,
        admin_only=False,
        group="content",
        description=_("Learning paths that link activities, and their review."),
    )
