"""Sections of a territory's home page.

Each app that owns a kind of content (activities, playlists, badges...) registers a
section under a key from its AppConfig.ready(); registering a key again replaces the
section. Until an app does, the key shows an honest empty state. A section's context
function must run a constant number of queries (the home page's count is pinned).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ContextFn = Callable[[HttpRequest], dict[str, Any]]


def _no_context(request: HttpRequest) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class HomeSection:
    key: str
    order: int
    template: str
    title: str | Promise
    context: ContextFn = field(default=_no_context)
    # "main": a card in the page's grid; "hero": inside the hero, under the search box
    # (the interests' tiles), rendered without a card or a heading of its own.
    slot: str = "main"


_sections: dict[str, HomeSection] = {}


def register_section(
    key: str,
    *,
    order: int,
    template: str,
    title: str | Promise,
    context: ContextFn = _no_context,
    slot: str = "main",
) -> None:
    _sections[key] = HomeSection(
        key=key, order=order, template=template, title=title, context=context, slot=slot
    )


def _in_slot(slot: str) -> list[HomeSection]:
    return sorted(
        (section for section in _sections.values() if section.slot == slot),
        key=lambda section: section.order,
    )


def registered_sections() -> list[HomeSection]:
    """The sections of the page's grid, in order."""
    return _in_slot("main")


def hero_sections() -> list[HomeSection]:
    """The parts shown inside the hero (the interests' tiles), in order."""
    return _in_slot("hero")


EMPTY_SECTIONS: list[tuple[str, int, str | Promise, str | Promise]] = [
    (
        "map",
        10,
        _("Map of learning places"),
        _(
            "No learning places are on the map yet. "
            "When providers publish activities, they appear here."
        ),
    ),
    (
        "activities",
        20,
        _("Activities"),
        _("No activities have been published here yet."),
    ),
    (
        "playlists",
        30,
        _("Learning playlists"),
        _("No playlists yet. A playlist links local and online activities into a learning path."),
    ),
    (
        "badges",
        40,
        _("Badges"),
        _("No badges yet. Badges recognise what you learn here, and you can show them anywhere."),
    ),
]


def register_empty_sections() -> None:
    for key, order, title, message in EMPTY_SECTIONS:
        if key in _sections:
            continue  # an app that owns this content registered first

        def context(request: HttpRequest, message: str | Promise = message) -> dict[str, Any]:
            return {"message": message}

        register_section(
            key, order=order, template="home/sections/empty.html", title=title, context=context
        )
