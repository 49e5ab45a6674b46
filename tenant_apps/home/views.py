from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from shared_apps.core.pagecache import FRAGMENT_SECONDS, anonymous_page_key, cached_fragment
from tenant_apps.home.sections import HomeSection, hero_sections, registered_sections
from tenant_apps.home.selectors import home_settings, home_texts


def _contexts(
    request: HttpRequest, sections: list[HomeSection], hidden: list[str], titles: dict[str, str]
) -> list[dict[str, object]]:
    return [
        {
            "key": s.key,
            "title": titles.get(s.key) or s.title,
            "template": s.template,
            **s.context(request),
        }
        for s in sections
        if s.key not in hidden
    ]


def _sections_html(request: HttpRequest, hidden: list[str], titles: dict[str, str]) -> str:
    sections = _contexts(request, registered_sections(), hidden, titles)
    return render_to_string("home/sections.html", {"sections": sections}, request=request)


def _hero_html(request: HttpRequest, hidden: list[str], titles: dict[str, str]) -> str:
    sections = _contexts(request, hero_sections(), hidden, titles)
    return render_to_string("home/hero_sections.html", {"sections": sections}, request=request)


def index(request: HttpRequest) -> HttpResponse:
    """The territory's home page: what there is to learn here, section by section.

    The sections show public content only, the same for every visitor: one cached
    fragment per territory and language (shared_apps.core.pagecache), dropped when
    content is published and when the territory's settings change. For visitors who
    are not signed in the whole page is the same, and is kept whole."""
    key = anonymous_page_key(request, "home")
    if key is not None:
        cached: bytes | None = cache.get(key)
        if cached is not None:
            return HttpResponse(cached)
    territory = getattr(request, "territory", None)
    changed = territory.updated_at.timestamp() if territory is not None else 0
    # The admin's own texts for this language (tenant_apps.home.actions), cached too.
    settings = home_settings()
    texts = home_texts(get_language() or "")
    html = cached_fragment(
        "home-sections",
        (changed,),
        lambda: _sections_html(request, settings["hidden"], texts["titles"]),
    )
    hero = cached_fragment(
        "home-hero",
        (changed,),
        lambda: _hero_html(request, settings["hidden"], texts["titles"]),
    )
    context = {
        "sections_html": mark_safe(html),  # noqa: S308 - our own rendered template
        "hero_html": mark_safe(hero),  # noqa: S308 - our own rendered template
        "home_texts": texts,
    }
    response = render(request, "home/index.html", context)
    if key is not None:
        cache.set(key, response.content, FRAGMENT_SECONDS)
    return response
