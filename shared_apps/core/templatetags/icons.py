"""Icons shipped in the repository (shared_apps/core/static/core/icons/*.svg), drawn
inline so they take the text's colour (``currentColor``) and cost no request.

They are decorative: always ``aria-hidden`` and never focusable; the text next to an
icon says what it means. A name without a file (an interest a territory added) gets
the generic icon.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ICONS = Path(__file__).resolve().parents[1] / "static" / "core" / "icons"
GENERIC = "interest"
_NAME = re.compile(r"^[a-z0-9-]{1,50}$")


@cache
def _drawing(name: str) -> str:
    """The inside of the icon's <svg> element (read once per process)."""
    path = ICONS / f"{name}.svg"
    if not _NAME.match(name) or not path.is_file():
        path = ICONS / f"{GENERIC}.svg"
    text = path.read_text()
    return text[text.index(">") + 1 : text.rindex("</svg>")]


def has_icon(name: str) -> bool:
    return bool(_NAME.match(name)) and (ICONS / f"{name}.svg").is_file()


@register.simple_tag
def icon(name: str, size: int = 24, css_class: str = "icon") -> SafeString:
    """``{% icon "music" %}``: an inline, decorative SVG icon."""
    opening = format_html(
        '<svg class="{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">',
        css_class,
        size,
        size,
    )
    # The drawing is our own file, read from the repository, never user input.
    return mark_safe(opening + _drawing(str(name)) + "</svg>")  # noqa: S308
