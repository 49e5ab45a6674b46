"""A territory's name and colours for emails (the network's own on the network site).

Below accounts and notifications, which both brand their emails with it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from shared_apps.core.colors import text_color_on
from shared_apps.core.context_processors import NETWORK_BRANDING
from shared_apps.core.hosts import network_url, site_url, territory_url
from tenants.models import Territory


def email_branding(territory: Territory | None) -> dict[str, Any]:
    """Context every branded email template uses (notifications/email/base_*).

    Call it inside the recipient's language (the network's name is translated)."""
    if territory is not None:
        primary, accent = territory.primary_color, territory.accent_color
        name, home = territory.name, territory_url(territory)
        logo = territory.logo.url if territory.logo else ""
        if logo and "://" not in logo:
            logo = site_url(territory.host, logo)
    else:
        primary, accent = NETWORK_BRANDING["primary"], NETWORK_BRANDING["accent"]
        name, home, logo = _("Cities of Learning"), network_url(), ""
    return {
        "site_name": name,
        "site_url": home,
        "logo_url": logo,
        "brand": {
            "primary": primary,
            "on_primary": text_color_on(primary),
            "accent": accent,
            "on_accent": text_color_on(accent),
        },
    }
