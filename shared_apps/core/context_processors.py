"""Template context every page needs: the territory (or network), branding, languages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from shared_apps.core.colors import text_color_on
from shared_apps.core.hosts import network_url
from shared_apps.core.languages import language_choices, site_languages
from shared_apps.core.navigation import my_links, nav_items

NETWORK_BRANDING = {"primary": "#1f4e79", "accent": "#f2b134"}


def site(request: HttpRequest) -> dict[str, Any]:
    territory = getattr(request, "territory", None)
    if territory is not None:
        primary, accent = territory.primary_color, territory.accent_color
    else:
        primary, accent = NETWORK_BRANDING["primary"], NETWORK_BRANDING["accent"]
    return {
        "territory": territory,
        "membership": getattr(request, "membership", None),
        "branding": {
            "primary": primary,
            "on_primary": text_color_on(primary),
            "accent": accent,
            "on_accent": text_color_on(accent),
        },
        "site_languages": language_choices(site_languages(request)),
        "network_url": network_url(),
        "my_links": my_links(request),
        "nav_items": nav_items(
            "territory" if territory is not None else "network",
            urlconf=getattr(request, "urlconf", None),
            request=request,
        ),
    }
