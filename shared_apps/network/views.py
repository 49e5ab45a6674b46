from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from shared_apps.core.hosts import network_url
from shared_apps.network.selectors import territory_cards
from tenants.selectors import territories_version

CARDS_CACHE_SECONDS = 600


def home(request: HttpRequest) -> HttpResponse:
    """The network site: what the network is, and every live territory with a link.

    The cards are rendered once per language, configured address (their links carry
    it, never the request's Host) and version of the territory list (any change to a
    territory bumps the version), then served from the cache.
    """
    version = territories_version()
    key = f"network:cards:{get_language()}:{network_url()}:{version}"
    cards_html = cache.get(key)
    if cards_html is None:
        cards_html = render_to_string(
            "network/territory_cards.html", {"cards": territory_cards(request)}, request=request
        )
        cache.set(key, cards_html, CARDS_CACHE_SECONDS)
    return render(request, "network/home.html", {"cards_html": mark_safe(cards_html)})  # noqa: S308
