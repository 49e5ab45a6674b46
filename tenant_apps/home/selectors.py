"""Reads of the home page's own texts, cached with the territory's public content."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from shared_apps.core.pagecache import FRAGMENT_SECONDS, fragment_key
from tenant_apps.home.models import HomePage


def home_settings() -> dict[str, Any]:
    """{"texts": {...}, "hidden": [...]} of the current schema's territory. Cached
    under the public content version: saving bumps it (actions), so no page shows
    a text older than its save."""
    key = fragment_key("home-settings")
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        page = HomePage.objects.filter(pk=1).first()
        found = {
            "texts": page.texts if page is not None else {},
            "hidden": list(page.hidden_sections) if page is not None else [],
        }
        cache.set(key, found, FRAGMENT_SECONDS)
    return found


def home_texts(language: str) -> dict[str, Any]:
    """The admin's texts for ``language``: headline, intro, titles (each may be empty)."""
    texts = home_settings()["texts"].get(language) or {}
    return {
        "headline": texts.get("headline", ""),
        "intro": texts.get("intro", ""),
        "titles": dict(texts.get("titles") or {}),
    }
