from __future__ import annotations

from typing import Any

from django import template

from shared_apps.core.multilingual import localized as localized_text

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """``{{ activity|localized:"title" }}``: the text in the reader's language, or the
    original. Escaped as usual; rich text stays ``|safe`` where the original was."""
    return localized_text(obj, field)
