"""``{% cached_widget form.field %}``: a form field's widget, rendered once per
territory, language and value (shared_apps.core.pagecache).

Django renders a widget through several nested templates per choice: a filter form
with five checkbox groups cost more than the search behind it. The widget's HTML
depends only on the field (its choices come from public content: the version covers
them; the territory's settings: its last change is in the key), the value sent and
whether it has errors, never on who is asking; it holds no CSRF token.
"""

from __future__ import annotations

import hashlib

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from shared_apps.core.pagecache import cached_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def cached_widget(context: template.Context, field: BoundField) -> SafeString:
    territory = context.get("territory")
    changed = territory.updated_at.timestamp() if territory is not None else 0
    state = repr((field.value(), bool(field.errors), field.auto_id, field.html_name))
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    parts = (type(field.form).__qualname__, field.name, changed, digest)
    return mark_safe(cached_fragment("widget", parts, lambda: str(field)))  # noqa: S308 - Django's own widget HTML
