"""Reading notifications: the person's list, the header's unread count, their choices."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator

from shared_apps.notifications.kinds import KINDS
from shared_apps.notifications.models import Notification, Preference

PAGE_SIZE = 20
_REQUEST_ATTR = "_notifications_unread"


def unread_count(user: Any) -> int:
    """One COUNT on a partial index (the person's unread rows).

    Not kept in the shared cache: a count cached by one worker and changed by another
    (or while Redis is away and each process has its own cache) would show a stale
    badge after "mark all read"; the query costs well under a millisecond."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def unread_for_request(request: Any) -> int:
    """The header's badge: nothing for visitors, at most one query per request (the
    account menu's summary and its "Notifications" entry share it)."""
    if not getattr(getattr(request, "user", None), "is_authenticated", False):
        return 0
    if not hasattr(request, _REQUEST_ATTR):
        setattr(request, _REQUEST_ATTR, unread_count(request.user))
    return int(getattr(request, _REQUEST_ATTR))


def page_of(user: Any, number: Any) -> Page[Notification]:
    """One page of the person's notifications, newest first (territories joined for
    their hosts: one query for the rows, one for the count)."""
    rows = (
        Notification.objects.filter(user_id=user.pk)
        .select_related("territory")
        .order_by("-created_at", "-id")
    )
    return Paginator(rows, PAGE_SIZE).get_page(number)


def choices_of(user: Any) -> dict[str, tuple[bool, bool]]:
    """(email, in_app) for every kind, as the person chose (on by default)."""
    stored = {p.kind: (p.email, p.in_app) for p in Preference.objects.filter(user_id=user.pk)}
    return {
        key: stored.get(key, (True, True)) if kind.optional else (True, True)
        for key, kind in KINDS.items()
    }
