"""Reading notifications: the person's list, the header's unread count, their choices."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction

from shared_apps.notifications.kinds import KINDS
from shared_apps.notifications.models import Notification, Preference

PAGE_SIZE = 20
# Network-wide key (shared_apps.core.cache): one count per person on every host.
_KEY = "network:notifications:unread:{}"
_TTL = 300
_REQUEST_ATTR = "_notifications_unread"


def forget_unread(user_id: int) -> None:
    """Drop the cached count now and again after commit (a page read in between could
    have cached the old count)."""
    key = _KEY.format(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def unread_count(user: Any) -> int:
    """The header's badge: from the cache, else one COUNT; once per request object."""
    key = _KEY.format(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        cache.set(key, count, _TTL)
    return int(count)


def unread_for_request(request: Any) -> int:
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
