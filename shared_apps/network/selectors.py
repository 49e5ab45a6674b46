from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django_countries import countries

from shared_apps.core.colors import text_color_on
from shared_apps.core.hosts import site_url
from tenants.models import Territory
from tenants.selectors import live_territories


@lru_cache(maxsize=4096)
def _country_name(code: str, language: str) -> str:
    return str(countries.name(code))


def territory_cards(request: HttpRequest) -> list[dict[str, Any]]:
    """Live territories as the network home shows them: one query, plain values
    (no model instances, no geometry decoding), so a network of hundreds stays fast."""
    language = get_language() or settings.LANGUAGE_CODE
    kinds = dict(Territory.Kind.choices)
    rows = live_territories().values(
        "name", "slug", "country", "kind", "primary_color", "default_language"
    )
    cards = []
    for row in rows:
        host = f"{row['slug']}.{settings.PLATFORM_DOMAIN}"
        cards.append(
            {
                **row,
                "host": host,
                "url": site_url(host),
                "country_name": _country_name(row["country"], language),
                "kind_label": kinds[row["kind"]],
                "on_primary": text_color_on(row["primary_color"]),
            }
        )
    return cards
