"""Recording demand. Called by the catalogue when someone searches or clicks
"I'm interested"; never given an account, a session or an exact point.

Searches made by page and API requests are queued in the process (``queue_search``)
and written in batches after responses have been sent, one INSERT for many rows,
instead of one INSERT and commit inside every search request. A batch is written
when it holds BATCH_SIZE searches or its oldest is BATCH_SECONDS old (checked when a
request finishes), and when the process exits. The price: a worker killed outright
loses its unsent batch (at most BATCH_SIZE anonymous rows), and ``created_at`` is the
time of writing, up to BATCH_SECONDS late.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django_tenants.utils import schema_context

from shared_apps.core.db import tenant_connection
from tenant_apps.demand.cells import cell_for
from tenant_apps.demand.models import InterestEvent, SearchEvent

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
BATCH_SECONDS = 10.0


def _cell(point: tuple[float, float] | None) -> str:
    return cell_for(*point) if point is not None else ""


def _search_event(
    *,
    terms: str,
    filters: Mapping[str, Any],
    result_count: int,
    point: tuple[float, float] | None,
    source: str,
    language: str,
) -> SearchEvent:
    return SearchEvent(
        terms=terms.strip().lower()[:200],
        filters=dict(filters),
        result_count=result_count,
        cell=_cell(point),
        source=source,
        language=language[:10],
    )


def log_search(
    *,
    terms: str,
    filters: Mapping[str, Any],
    result_count: int,
    point: tuple[float, float] | None,
    source: str = SearchEvent.Source.PAGE,
    language: str = "",
) -> SearchEvent:
    """Store one search now. ``point`` (lat, lon) is reduced to its H3 cell here and
    the point itself is dropped."""
    event = _search_event(
        terms=terms,
        filters=filters,
        result_count=result_count,
        point=point,
        source=source,
        language=language,
    )
    event.save()
    return event


_lock = threading.Lock()
# (schema name, unsaved event): the point is already reduced to its cell here.
_queue: list[tuple[str, SearchEvent]] = []
_oldest = 0.0


def queue_search(
    *,
    terms: str,
    filters: Mapping[str, Any],
    result_count: int,
    point: tuple[float, float] | None,
    source: str = SearchEvent.Source.PAGE,
    language: str = "",
) -> None:
    """Like ``log_search``, for the request path: the row is written with the next
    batch of the current territory's schema (see the module's docstring)."""
    global _oldest
    event = _search_event(
        terms=terms,
        filters=filters,
        result_count=result_count,
        point=point,
        source=source,
        language=language,
    )
    schema_name = tenant_connection().schema_name
    with _lock:
        if not _queue:
            _oldest = time.monotonic()
        _queue.append((schema_name, event))


def flush_search_log() -> int:
    """Write every queued search, one INSERT per territory; returns how many."""
    with _lock:
        taken = list(_queue)
        _queue.clear()
    by_schema: dict[str, list[SearchEvent]] = defaultdict(list)
    for schema_name, event in taken:
        by_schema[schema_name].append(event)
    for schema_name, events in by_schema.items():
        with schema_context(schema_name):
            SearchEvent.objects.bulk_create(events)
    return len(taken)


def discard_search_log() -> None:
    """Forget queued searches (tests: the database they were meant for is gone)."""
    with _lock:
        _queue.clear()


def search_log_due() -> bool:
    return len(_queue) >= BATCH_SIZE or (
        bool(_queue) and time.monotonic() - _oldest >= BATCH_SECONDS
    )


@receiver(request_finished, dispatch_uid="demand_flush_search_log")
def _flush_when_due(**kwargs: Any) -> None:
    if not search_log_due():
        return
    try:
        flush_search_log()
    except Exception:
        # Demand statistics must never break serving; the batch is lost (anonymous
        # rows, counted in the log line, nothing about who searched).
        logger.exception("could not write a batch of the search log")


def _flush_at_exit() -> None:
    if _queue:
        try:
            flush_search_log()
        except Exception:
            logger.exception("could not write the search log at exit")


atexit.register(_flush_at_exit)


def log_interest(
    *,
    activity_id: int,
    interest_slugs: Iterable[str],
    point: tuple[float, float] | None,
    activity_point: tuple[float, float] | None,
) -> InterestEvent:
    return InterestEvent.objects.create(
        activity_id=activity_id,
        interest_slugs=sorted(interest_slugs),
        cell=_cell(point),
        activity_cell=_cell(activity_point),
    )
