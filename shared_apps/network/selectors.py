from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from shared_apps.core.colors import text_color_on
from shared_apps.core.hosts import site_url
from tenants.selectors import live_territories


def territory_cards(request: HttpRequest) -> list[dict[str, Any]]:
    """Live territories with what the network home shows of each (one query)."""
    return [
        {
            "territory": territory,
            "on_primary": text_color_on(territory.primary_color),
            "url": site_url(request, territory.host),
        }
        for territory in live_territories()
    ]
