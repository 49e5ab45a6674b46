"""Reads of the stored desert runs: pages never compute."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from tenant_apps.catalogue.models import Interest
from tenant_apps.deserts.models import DesertCell, DesertRun, PopulationArea, publishable
from tenants.models import Territory

PENDING_TIMEOUT_SECONDS = 3600
# Viridis, five bins (colour-blind safe, readable in grey): low index = dark purple.
PALETTE = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
# Upper bounds of the bins, as ratios to the territory median.
BIN_LIMITS = (0.5, 0.8, 1.25, 2.0)


def latest_run() -> DesertRun | None:
    return DesertRun.objects.filter(status=DesertRun.Status.DONE).order_by("-computed_at").first()


def pending_run() -> DesertRun | None:
    """A run queued in the last hour (an older one was lost: a new one may be asked)."""
    since = timezone.now() - datetime.timedelta(seconds=PENDING_TIMEOUT_SECONDS)
    return DesertRun.objects.filter(status=DesertRun.Status.PENDING, created_at__gte=since).first()


def monthly_runs(limit: int = 12) -> list[DesertRun]:
    """The trend: one run per month (older runs of a month are dropped when stored)."""
    runs = DesertRun.objects.filter(status=DesertRun.Status.DONE).order_by("-month")[:limit]
    return list(reversed(runs))


def bin_of(ratio: float | None) -> int | None:
    if ratio is None:
        return None
    for position, limit in enumerate(BIN_LIMITS):
        if ratio < limit:
            return position
    return len(BIN_LIMITS)


@dataclass(frozen=True)
class CellRow:
    cell: str
    lat: float
    lon: float
    population: float
    # None when filtered by an interest (venues are not split by interest).
    supply: float | None
    reachable_supply: float
    index: float | None
    ratio: float | None
    searches: int | None
    zero_result_searches: int | None
    interest_clicks: int | None
    suppressed: bool
    colour_bin: int | None
    # The index of the same cell in the previous month's run (the trend).
    previous_index: float | None = None

    @property
    def colour(self) -> str:
        return PALETTE[self.colour_bin] if self.colour_bin is not None else ""


def previous_run(run: DesertRun) -> DesertRun | None:
    if run.month is None:
        return None
    return (
        DesertRun.objects.filter(status=DesertRun.Status.DONE, month__lt=run.month)
        .order_by("-month")
        .first()
    )


def cell_rows(
    run: DesertRun,
    *,
    interest: str = "",
    order: str = "index",
    previous: DesertRun | None = None,
    resolution: int = 8,
) -> list[CellRow]:
    """Cells of a run as table rows; with ``interest``, supply, index and searches of
    that interest only (ratio to the median of that interest's index). With
    ``previous``, each row carries the cell's index in that run (one more query)."""
    cells: list[dict[str, Any]] = [
        dict(row)
        for row in DesertCell.objects.filter(run=run, resolution=resolution).values(
            "cell",
            "lat",
            "lon",
            "population",
            "reachable_population",
            "supply",
            "reachable_supply",
            "reachable_by_interest",
            "index",
            "ratio",
            "searches",
            "zero_result_searches",
            "interest_clicks",
            "searches_by_interest",
            "suppressed",
        )
    ]
    if interest:
        for row in cells:
            reach = float((row["reachable_by_interest"] or {}).get(interest, 0))
            row["reachable_supply"] = reach
            row["supply"] = None
            if not row["suppressed"]:
                row["searches"] = int((row["searches_by_interest"] or {}).get(interest, 0))
            row["index"] = (
                1000.0 * reach / row["reachable_population"]
                if row["reachable_population"]
                else None
            )
        values = sorted(r["index"] for r in cells if r["population"] > 0 and r["index"] is not None)
        median = _median(values)
        for row in cells:
            row["ratio"] = row["index"] / median if median and row["index"] is not None else None
    before: dict[str, float | None] = {}
    if previous is not None and not interest:
        before = dict(
            DesertCell.objects.filter(run=previous, resolution=resolution).values_list(
                "cell", "index"
            )
        )
    elif previous is not None:
        before = {
            cell: (1000.0 * float(by.get(interest, 0)) / reach if reach else None)
            for cell, by, reach in DesertCell.objects.filter(
                run=previous, resolution=resolution
            ).values_list("cell", "reachable_by_interest", "reachable_population")
        }
    for row in cells:
        _suppress_small_counts(row, run.k)
    rows = [
        CellRow(
            cell=row["cell"],
            lat=row["lat"],
            lon=row["lon"],
            population=row["population"],
            supply=row["supply"],
            reachable_supply=row["reachable_supply"],
            index=row["index"],
            ratio=row["ratio"],
            searches=row["searches"],
            zero_result_searches=row["zero_result_searches"],
            interest_clicks=row["interest_clicks"],
            suppressed=row["suppressed"],
            colour_bin=bin_of(row["ratio"]) if row["population"] > 0 else None,
            previous_index=before.get(row["cell"]),
        )
        for row in cells
    ]
    if order == "-index":
        rows.sort(key=lambda r: (r.index is None, -(r.index or 0), r.cell))
    elif order == "searches":
        rows.sort(key=lambda r: (r.searches is None, -(r.searches or 0), r.cell))
    else:
        rows.sort(key=lambda r: (r.index is None, r.index or 0, r.cell))
    return rows


# The demand figures a cell publishes; each must meet k (models.publishable).
DEMAND_FIELDS = ("searches", "zero_result_searches", "interest_clicks")


def _suppress_small_counts(row: dict[str, Any], k: int) -> None:
    """The one place where demand figures of a cell are blanked below k: the page,
    the CSV and the GeoJSON all read the rows of ``cell_rows``."""
    for name in DEMAND_FIELDS:
        row[name] = publishable(row[name], k)


def bin_counts(rows: list[CellRow]) -> list[dict[str, Any]]:
    """Populated cells per colour bin: the bar chart above the table."""
    counts = [0] * len(PALETTE)
    for row in rows:
        if row.colour_bin is not None:
            counts[row.colour_bin] += 1
    largest = max(counts) or 1
    return [
        {"colour": colour, "count": count, "percent": round(100 * count / largest)}
        for colour, count in zip(PALETTE, counts, strict=True)
    ]


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def interests() -> QuerySet[Interest]:
    return Interest.objects.filter(is_active=True).order_by("position", "slug")


def population_summary() -> dict[str, Any]:
    areas = PopulationArea.objects.all()
    return {
        "areas": areas.count(),
        "young_people": sum(areas.values_list("young_people", flat=True)),
    }


def network_comparison(territories: list[Territory]) -> list[dict[str, Any]]:
    """The latest run's summary of each given territory, in one query over their
    schemas (the network site lives in the public schema)."""
    if not territories:
        return []
    parts = []
    names = []
    for territory in territories:
        # Schema names are validated identifiers; quote them anyway.
        schema = connection.ops.quote_name(territory.schema_name)
        parts.append(
            f"""(SELECT %s AS slug, computed_at, median_index, populated_cells,
                        desert_cells, searches, zero_result_searches, k
                 FROM {schema}.deserts_desertrun WHERE status = 'done'
                 ORDER BY computed_at DESC LIMIT 1)"""  # noqa: S608 - quoted schema name
        )
        names.append(territory.slug)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), names)
        columns = [c.name for c in cursor.description]
        found = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}
    result = []
    for territory in territories:
        row = found.get(territory.slug)
        if row is not None:
            # Territory-wide demand figures meet k too (a share of 3 searches is 3).
            row["searches"] = publishable(row["searches"], row["k"])
            row["zero_result_searches"] = publishable(row["zero_result_searches"], row["k"])
        result.append(
            {
                "territory": territory,
                "run": row,
                "desert_share": (row["desert_cells"] / row["populated_cells"])
                if row and row["populated_cells"]
                else None,
                "zero_share": (row["zero_result_searches"] / row["searches"])
                if row and row["searches"] and row["zero_result_searches"] is not None
                else None,
            }
        )
    return result
