"""The header's unread count: nothing for visitors, at most one query per request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from shared_apps.notifications.selectors import unread_for_request


def notifications(request: HttpRequest) -> dict[str, Any]:
    # Lazy: a page that does not show the header (an email, a fragment) costs nothing.
    return {"notifications_unread": SimpleLazyObject(lambda: unread_for_request(request))}
