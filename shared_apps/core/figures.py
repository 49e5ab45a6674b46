"""A territory's headline figures, counted live, each by the feature that owns the data.

Features register a counter from their ``AppConfig.ready()``:

    from shared_apps.core.figures import register_figure

    register_figure(
        "badges_awarded", label=_("Badges awarded"), order=50,
        count=lambda territory: Award.objects.filter(revoked_at__isnull=True).count(),
    )

A ``scope="territory"`` counter runs in the territory's schema (the schema is set by
``live_figures``), a ``scope="public"`` counter in the public schema, filtering by the
territory itself. Each counter is one cheap query (an index-backed COUNT): the
territory admin's dashboard and the coordinator console call them on every view
instead of reading the hourly snapshot. Code outside ``tenant_apps`` (the console)
reads territory data only through here, never by importing tenant models.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import timezone
from django.utils.functional import Promise
from django_tenants.utils import schema_context

Scope = Literal["territory", "public"]
# Searches are counted over this window (the console's weekly trend uses the same).
SEARCH_WINDOW = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    order: int
    count: Callable[[Any], int]
    scope: Scope = "territory"


@dataclass(frozen=True)
class FigureValue:
    key: str
    label: str
    value: int


_figures: dict[str, Figure] = {}


def register_figure(
    key: str,
    *,
    label: str | Promise,
    order: int,
    count: Callable[[Any], int],
    scope: Scope = "territory",
) -> None:
    if scope not in ("territory", "public"):
        raise ValueError(f"unknown scope {scope!r}")
    _figures[key] = Figure(key=key, label=label, order=order, count=count, scope=scope)


def registered() -> list[Figure]:
    return sorted(_figures.values(), key=lambda f: (f.order, f.key))


def since(window: datetime.timedelta) -> datetime.datetime:
    return timezone.now() - window


def live_figures(territory: Any, keys: Iterable[str] | None = None) -> list[FigureValue]:
    """The territory's figures now, in order: one query per figure (and one schema
    switch for all the territory-scoped ones)."""
    wanted = set(keys) if keys is not None else None
    figures = [f for f in registered() if wanted is None or f.key in wanted]
    values: dict[str, int] = {}
    with schema_context("public"):
        for figure in figures:
            if figure.scope == "public":
                values[figure.key] = int(figure.count(territory))
    with schema_context(territory.schema_name):
        for figure in figures:
            if figure.scope == "territory":
                values[figure.key] = int(figure.count(territory))
    return [FigureValue(f.key, str(f.label), values[f.key]) for f in figures]
