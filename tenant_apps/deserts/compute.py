"""The desert computation: set-based SQL over the catalogue and the demand log.

PostgreSQL here has no H3 extension, so the H3 cell ids and centres of the few
thousand *distinct* places involved (venues, population areas, cells searched from)
come from h3-py; every aggregation over rows (activities, up to millions of search
events) is one SQL statement over temporary tables.

Each run stores two grids: resolution 8 (the city view; also the resolution of the
search log) and resolution 9 (the district view: supply and population only).

Definitions:
- supply of a cell: sessions per week of the published local (and hybrid) activities
  that have not ended and whose venue lies in the cell;
- reach of a cell: the cells whose centres lie within ``distance_m`` of its centre
  (itself included);
- index: reachable supply per 1,000 young people living in the reachable cells
  (a local supply/population ratio; None where nobody lives within reach);
- ratio: index / median index of the cells where young people live;
- demand (searches, searches without result, "I'm interested" clicks, searches per
  interest) of cells with fewer than ``k`` searches is blanked and the cell flagged.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import h3
from django.db import connection

from tenant_apps.deserts.models import DESERT_RATIO, PopulationArea

RESOLUTION = 8
# The city view (8, ~0.74 km² cells, the resolution of the search log) and the district
# view (9, ~0.1 km²). Demand exists at 8 only; finer cells carry supply and population.
RESOLUTIONS = (8, 9)

# Sessions per week, from the schedule model (tenant_apps.catalogue.schedule):
# - weekly: one session per chosen weekday;
# - single sessions: the dated sessions spread over the weeks from the first to the
#   last one (at least one week);
# - every day between two dates: seven a week while it runs;
# - always open: counted as five (an open space open on weekdays).
SESSIONS_PER_WEEK_SQL = """
    CASE a.schedule_kind
        WHEN 'weekly' THEN greatest(coalesce(cardinality(a.weekdays), 0), 1)::float
        WHEN 'sessions' THEN greatest(coalesce(cardinality(a.days), 0), 1) * 7.0
            / greatest(coalesce(a.last_date - a.first_date + 1, 7), 7)
        WHEN 'range' THEN 7.0
        ELSE 5.0
    END
"""

ACTIVE_ACTIVITY_SQL = """
    a.is_public AND coalesce(a.last_date, DATE '9999-12-31') >= %(today)s
"""


def _copy(table: str, columns: str, rows: Iterable[tuple[object, ...]]) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def population_by_cell(
    areas: Iterable[PopulationArea], resolution: int = RESOLUTION
) -> dict[str, float]:
    """Young people per cell: a polygon is split evenly over the cells whose centres it
    covers (H3 cells of one resolution have nearly equal areas, so this is an
    area-weighted split); a point, or a polygon too small to cover a centre, goes to
    the cell of its point or centroid."""
    found: dict[str, float] = defaultdict(float)
    for area in areas:
        cells: list[str] = []
        if area.polygon is not None:
            cells = list(h3.geo_to_cells(json.loads(area.polygon.json), resolution))
            if not cells:
                centroid = area.polygon.centroid
                cells = [h3.latlng_to_cell(centroid.y, centroid.x, resolution)]
        elif area.point is not None:
            cells = [h3.latlng_to_cell(area.point.y, area.point.x, resolution)]
        for cell in cells:
            found[cell] += area.young_people / len(cells)
    return dict(found)


TEMP_TABLES = (
    "_dz_venue",
    "_dz_supply",
    "_dz_cell_supply",
    "_dz_cell_interest",
    "_dz_pop",
    "_dz_demand",
    "_dz_demand_interest",
    "_dz_clicks",
    "_dz_cell",
    "_dz_pair",
    "_dz_online",
)
DROP_SQL = "DROP TABLE IF EXISTS " + ", ".join(TEMP_TABLES)


def run_sql(
    *, run_id: int, today: datetime.date, since: datetime.datetime, distance_m: int, k: int
) -> None:
    """Fill deserts_desertcell for ``run_id`` and the run's summary columns.

    Runs in the current (territory) schema, inside the caller's transaction; the
    temporary tables are dropped at commit.
    """
    params: dict[str, Any] = {
        "today": today,
        "since": since,
        "distance": distance_m,
        "k": k,
        "run": run_id,
    }
    areas = list(PopulationArea.objects.all())
    with connection.cursor() as cursor:
        for resolution in RESOLUTIONS:
            _cells_sql(
                cursor,
                {**params, "res": resolution, "demand": resolution == RESOLUTION},
                population_by_cell(areas, resolution),
            )
        _summary_sql(cursor, params)


def _cells_sql(cursor: Any, params: dict[str, Any], population: dict[str, float]) -> None:
    """The cells of one resolution, their index and their ratio to its median."""
    resolution = params["res"]
    # ON COMMIT DROP is not enough inside an outer transaction (a savepoint).
    cursor.execute(DROP_SQL)
    # Venues with at least one active local activity, and their cells.
    cursor.execute(
        f"""
        SELECT DISTINCT v.id, ST_Y(v.point), ST_X(v.point)
        FROM catalogue_venue v JOIN catalogue_activity a ON a.venue_id = v.id
        WHERE {ACTIVE_ACTIVITY_SQL} AND a.format IN ('local', 'hybrid')
        """,  # noqa: S608 - constant fragments of this module
        params,
    )
    venues = [(vid, h3.latlng_to_cell(lat, lon, resolution)) for vid, lat, lon in cursor]
    cursor.execute("CREATE TEMP TABLE _dz_venue (id bigint PRIMARY KEY, cell text) ON COMMIT DROP")
    _copy("_dz_venue", "id, cell", venues)
    cursor.execute(
        f"""
        CREATE TEMP TABLE _dz_supply ON COMMIT DROP AS
        SELECT vc.cell, a.interest_ids, ({SESSIONS_PER_WEEK_SQL}) AS w
        FROM catalogue_activity a JOIN _dz_venue vc ON vc.id = a.venue_id
        WHERE {ACTIVE_ACTIVITY_SQL} AND a.format IN ('local', 'hybrid')
        """,  # noqa: S608 - constant fragments of this module
        params,
    )
    cursor.execute(
        """
        CREATE TEMP TABLE _dz_cell_supply ON COMMIT DROP AS
        SELECT cell, sum(w) AS supply FROM _dz_supply GROUP BY cell;
        CREATE TEMP TABLE _dz_cell_interest ON COMMIT DROP AS
        SELECT s.cell, i.slug, sum(s.w) AS w
        FROM _dz_supply s JOIN catalogue_interest i ON i.id = ANY (s.interest_ids)
        GROUP BY s.cell, i.slug;
        """
    )
    cursor.execute(
        "CREATE TEMP TABLE _dz_pop (cell text PRIMARY KEY, population float) ON COMMIT DROP"
    )
    _copy("_dz_pop", "cell, population", population.items())
    cursor.execute(
        """
        CREATE TEMP TABLE _dz_demand ON COMMIT DROP AS
        SELECT cell, count(*) AS searches, count(*) FILTER (WHERE result_count = 0) AS zero
        FROM demand_searchevent
        WHERE %(demand)s AND cell <> '' AND created_at >= %(since)s GROUP BY cell;
        CREATE TEMP TABLE _dz_demand_interest ON COMMIT DROP AS
        SELECT cell, jsonb_object_agg(slug, n) AS by_interest FROM (
            SELECT s.cell, i.slug, count(*) AS n
            FROM demand_searchevent s
            CROSS JOIN LATERAL jsonb_array_elements_text(
                CASE WHEN jsonb_typeof(s.filters -> 'interests') = 'array'
                THEN s.filters -> 'interests' ELSE '[]'::jsonb END) AS i(slug)
            WHERE %(demand)s AND s.cell <> '' AND s.created_at >= %(since)s
            GROUP BY s.cell, i.slug
        ) per GROUP BY cell;
        CREATE TEMP TABLE _dz_clicks ON COMMIT DROP AS
        SELECT cell, count(*) AS clicks FROM demand_interestevent
        WHERE %(demand)s AND cell <> '' AND created_at >= %(since)s GROUP BY cell;
        """,
        params,
    )
    cursor.execute(
        """
        SELECT cell FROM _dz_cell_supply UNION SELECT cell FROM _dz_pop
        UNION SELECT cell FROM _dz_demand UNION SELECT cell FROM _dz_clicks
        """
    )
    cells = []
    for (cell,) in cursor.fetchall():
        if not h3.is_valid_cell(cell):
            continue
        lat, lon = h3.cell_to_latlng(cell)
        cells.append((cell, lat, lon))
    cursor.execute(
        "CREATE TEMP TABLE _dz_cell (cell text PRIMARY KEY, lat float, lon float) ON COMMIT DROP"
    )
    _copy("_dz_cell", "cell, lat, lon", cells)
    cursor.execute(
        """
        ALTER TABLE _dz_cell ADD COLUMN geog geography;
        UPDATE _dz_cell SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
        CREATE INDEX ON _dz_cell USING gist (geog);
        ANALYZE _dz_cell;
        CREATE TEMP TABLE _dz_pair ON COMMIT DROP AS
        SELECT c.cell, n.cell AS near FROM _dz_cell c
        JOIN _dz_cell n ON ST_DWithin(c.geog, n.geog, %(distance)s);
        """,
        params,
    )
    cursor.execute(
        """
        INSERT INTO deserts_desertcell (
            run_id, cell, resolution, lat, lon, supply, reachable_supply,
            reachable_by_interest, population, reachable_population, index, ratio,
            searches, zero_result_searches, interest_clicks, searches_by_interest,
            suppressed)
        SELECT %(run)s, c.cell, %(res)s, c.lat, c.lon,
            coalesce(cs.supply, 0), r.supply, coalesce(ri.by_interest, '{}'::jsonb),
            coalesce(p.population, 0), r.population,
            CASE WHEN r.population > 0 THEN 1000.0 * r.supply / r.population END, NULL,
            CASE WHEN coalesce(d.searches, 0) >= %(k)s THEN d.searches END,
            CASE WHEN coalesce(d.searches, 0) >= %(k)s THEN d.zero END,
            CASE WHEN coalesce(d.searches, 0) >= %(k)s THEN coalesce(cl.clicks, 0) END,
            CASE WHEN coalesce(d.searches, 0) >= %(k)s
                THEN coalesce(di.by_interest, '{}'::jsonb) END,
            coalesce(d.searches, 0) < %(k)s
        FROM _dz_cell c
        JOIN (
            SELECT pr.cell, coalesce(sum(ns.supply), 0) AS supply,
                   coalesce(sum(np.population), 0) AS population
            FROM _dz_pair pr
            LEFT JOIN _dz_cell_supply ns ON ns.cell = pr.near
            LEFT JOIN _dz_pop np ON np.cell = pr.near
            GROUP BY pr.cell
        ) r ON r.cell = c.cell
        LEFT JOIN (
            SELECT cell, jsonb_object_agg(slug, w) AS by_interest FROM (
                SELECT pr.cell, ci.slug, sum(ci.w) AS w
                FROM _dz_pair pr JOIN _dz_cell_interest ci ON ci.cell = pr.near
                GROUP BY pr.cell, ci.slug
            ) per GROUP BY cell
        ) ri ON ri.cell = c.cell
        LEFT JOIN _dz_cell_supply cs ON cs.cell = c.cell
        LEFT JOIN _dz_pop p ON p.cell = c.cell
        LEFT JOIN _dz_demand d ON d.cell = c.cell
        LEFT JOIN _dz_demand_interest di ON di.cell = c.cell
        LEFT JOIN _dz_clicks cl ON cl.cell = c.cell
        """,
        params,
    )
    # A cell known only from a few searches would tell that someone searched
    # there: only cells with young people, supply or k searches are kept.
    cursor.execute(
        """
        DELETE FROM deserts_desertcell
        WHERE run_id = %(run)s AND resolution = %(res)s
            AND suppressed AND population = 0 AND supply = 0
        """,
        params,
    )
    # The median over the cells where young people live, and each cell's ratio.
    cursor.execute(
        """
        UPDATE deserts_desertcell c SET ratio = c.index / m.median
        FROM (
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY index) AS median
            FROM deserts_desertcell
            WHERE run_id = %(run)s AND resolution = %(res)s
                AND population > 0 AND index IS NOT NULL
        ) m
        WHERE c.run_id = %(run)s AND c.resolution = %(res)s AND m.median > 0
        """,
        params,
    )
    cursor.execute(DROP_SQL)


def _summary_sql(cursor: Any, params: dict[str, Any]) -> None:
    """Territory-wide figures of the run (city view cells, all searches, online)."""
    cursor.execute(
        """
        UPDATE deserts_desertrun SET median_index = (
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY index)
            FROM deserts_desertcell
            WHERE run_id = %(run)s AND resolution = %(res)s
                AND population > 0 AND index IS NOT NULL
        ) WHERE id = %(run)s;
        UPDATE deserts_desertrun r SET
            populated_cells = s.populated, desert_cells = s.deserts
        FROM (
            SELECT count(*) FILTER (WHERE population > 0) AS populated,
                   count(*) FILTER (WHERE population > 0 AND ratio < %(desert)s) AS deserts
            FROM deserts_desertcell WHERE run_id = %(run)s AND resolution = %(res)s
        ) s WHERE r.id = %(run)s;
        UPDATE deserts_desertrun r SET searches = s.n, zero_result_searches = s.zero
        FROM (
            SELECT count(*) AS n, count(*) FILTER (WHERE result_count = 0) AS zero
            FROM demand_searchevent WHERE created_at >= %(since)s
        ) s WHERE r.id = %(run)s;
        UPDATE deserts_desertrun SET interest_clicks = (
            SELECT count(*) FROM demand_interestevent WHERE created_at >= %(since)s
        ) WHERE id = %(run)s;
        """,
        {**params, "desert": DESERT_RATIO, "res": RESOLUTION},
    )
    cursor.execute(
        f"""
        CREATE TEMP TABLE _dz_online ON COMMIT DROP AS
        SELECT a.interest_ids, ({SESSIONS_PER_WEEK_SQL}) AS w
        FROM catalogue_activity a
        WHERE {ACTIVE_ACTIVITY_SQL} AND a.format IN ('online', 'hybrid');
        UPDATE deserts_desertrun SET
            online_supply = (SELECT coalesce(sum(w), 0) FROM _dz_online),
            online_by_interest = (
                SELECT coalesce(jsonb_object_agg(slug, w), '{{}}'::jsonb) FROM (
                    SELECT i.slug, sum(o.w) AS w FROM _dz_online o
                    JOIN catalogue_interest i ON i.id = ANY (o.interest_ids)
                    GROUP BY i.slug
                ) per)
        WHERE id = %(run)s;
        """,  # noqa: S608 - constant fragments of this module
        params,
    )
    cursor.execute(DROP_SQL)
