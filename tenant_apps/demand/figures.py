"""Search demand's headline figures (shared_apps.core.figures): the last 7 days."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from shared_apps.core.figures import SEARCH_WINDOW, register_figure, since
from tenant_apps.demand.models import SearchEvent


def searches(territory: Any) -> int:
    return SearchEvent.objects.filter(created_at__gte=since(SEARCH_WINDOW)).count()


def empty_searches(territory: Any) -> int:
    return SearchEvent.objects.filter(created_at__gte=since(SEARCH_WINDOW), result_count=0).count()


def previous_week(*, now: datetime.datetime) -> dict[str, int]:
    """Searches (and those with no result) of the 7 days before the last 7: the
    console's weekly trend. One query."""
    start, end = now - 2 * SEARCH_WINDOW, now - SEARCH_WINDOW
    return SearchEvent.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        searches_previous=Count("id"),
        empty_searches_previous=Count("id", filter=Q(result_count=0)),
    )


def register() -> None:
    register_figure("searches", label=_("Searches (7 days)"), order=40, count=searches)
    register_figure(
        "empty_searches",
        label=_("Searches with no result (7 days)"),
        order=41,
        count=empty_searches,
    )
