"""Brand colours checked against WCAG 2.2 AA contrast (4.5:1 for normal text).

The primary colour is used for the header background under white text and for links
on white pages, so it must contrast with white. The accent colour is used for
highlights under dark text, so it must contrast with black.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
BLACK = "#000000"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@lru_cache(maxsize=1024)
def text_color_on(background: str) -> str:
    """White or black, whichever reads better on the background."""
    if contrast_ratio(background, WHITE) >= contrast_ratio(background, BLACK):
        return WHITE
    return BLACK


def validate_hex_color(value: str) -> None:
    if not HEX_COLOR_RE.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, for example #1f4e79."),
            code="color_format",
        )


def validate_primary_color(value: str) -> None:
    validate_hex_color(value)
    ratio = contrast_ratio(value, WHITE)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "White text on %(color)s has a contrast of %(ratio)s:1; at least 4.5:1 is "
                "needed so everyone can read it (WCAG AA). Choose a darker shade."
            ),
            code="contrast_white",
            params={"color": value, "ratio": f"{ratio:.2f}"},
        )


def validate_accent_color(value: str) -> None:
    validate_hex_color(value)
    ratio = contrast_ratio(value, BLACK)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "Black text on %(color)s has a contrast of %(ratio)s:1; at least 4.5:1 is "
                "needed so everyone can read it (WCAG AA). Choose a lighter shade."
            ),
            code="contrast_black",
            params={"color": value, "ratio": f"{ratio:.2f}"},
        )
