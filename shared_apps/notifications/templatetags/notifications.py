from __future__ import annotations

from django import template

from shared_apps.notifications.kinds import KINDS
from shared_apps.notifications.models import Notification

register = template.Library()


@register.simple_tag
def notification_text(notification: Notification) -> str:
    """The sentence, in the reader's current language (autoescaped by the template)."""
    kind = KINDS.get(notification.kind)
    return kind.text(notification.params) if kind is not None else ""
