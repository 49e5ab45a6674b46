"""The one place where an activity's public visibility changes, and where other apps
learn about it.

Visibility is derived (published by a verified provider) and recomputed by
``refresh_activities`` after every change. Subscribers (the network-wide search, the
home page cache...) register a callback; it runs after the transaction commits, with
the territory's schema name, the kind of change and the activity ids:

    from tenant_apps.catalogue.publishing import on_activity_change

    @on_activity_change
    def reindex(schema_name: str, change: str, activity_ids: list[int]) -> None:
        ...  # re-enter the schema with schema_context(schema_name) to read them

Kinds: "published" (became public), "unpublished" (no longer public), "changed"
(public before and after, content changed), "deleted" (was public, now gone).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from django.db import transaction

from shared_apps.core.db import tenant_connection
from shared_apps.core.pagecache import public_content_changed
from tenant_apps.catalogue import indexing

logger = logging.getLogger(__name__)

Change = Literal["published", "unpublished", "changed", "deleted"]
Callback = Callable[[str, Change, list[int]], None]
_callbacks: dict[str, Callback] = {}


def on_activity_change(callback: Callback) -> Callback:
    """Register a callback (idempotent per function: re-importing a module is harmless)."""
    _callbacks[f"{callback.__module__}.{callback.__qualname__}"] = callback
    return callback


def _dispatch(schema_name: str, change: Change, activity_ids: list[int]) -> None:
    for name, callback in list(_callbacks.items()):
        try:
            callback(schema_name, change, activity_ids)
        except Exception:
            # A failing subscriber must not break the provider's save, which has
            # already been committed; it is reported and the others still run.
            logger.exception("activity change callback %s failed", name)


def notify(change: Change, activity_ids: Iterable[int]) -> None:
    ids = sorted(set(activity_ids))
    if not ids:
        return
    schema_name = tenant_connection().schema_name
    transaction.on_commit(lambda: _dispatch(schema_name, change, ids))
    # Every cached page fragment built from public content (home, activity pages,
    # search counts) goes with it: here, not as a subscriber, so it cannot be missed.
    public_content_changed()


def refresh_activities(
    activity_ids: Sequence[int], *, language: str, content_changed: bool = True
) -> list[indexing.Visibility]:
    """Recompute search columns and visibility; tell subscribers what changed."""
    rows = indexing.refresh(activity_ids, language=language)
    announce(rows, content_changed=content_changed)
    return rows


def announce(rows: Sequence[indexing.Visibility], *, content_changed: bool = True) -> None:
    """Tell subscribers what changed, from the visibility of rows whose search columns
    were just written (by indexing.refresh, or with the rows themselves by an import)."""
    published = [r.activity_id for r in rows if r.is_public and not r.was_public]
    unpublished = [r.activity_id for r in rows if r.was_public and not r.is_public]
    changed = (
        [r.activity_id for r in rows if r.was_public and r.is_public] if content_changed else []
    )
    indexing.remember_words(published + changed)
    notify("published", published)
    notify("unpublished", unpublished)
    notify("changed", changed)
