"""Recording demand. Called by the catalogue when someone searches or clicks
"I'm interested"; never given an account, a session or an exact point."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tenant_apps.demand.cells import cell_for
from tenant_apps.demand.models import InterestEvent, SearchEvent


def _cell(point: tuple[float, float] | None) -> str:
    return cell_for(*point) if point is not None else ""


def log_search(
    *,
    terms: str,
    filters: Mapping[str, Any],
    result_count: int,
    point: tuple[float, float] | None,
    source: str = SearchEvent.Source.PAGE,
    language: str = "",
) -> SearchEvent:
    """Store one search. ``point`` (lat, lon) is reduced to its H3 cell here and the
    point itself is dropped."""
    return SearchEvent.objects.create(
        terms=terms.strip().lower()[:200],
        filters=dict(filters),
        result_count=result_count,
        cell=_cell(point),
        source=source,
        language=language[:10],
    )


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
