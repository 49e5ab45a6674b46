import datetime
import json
from zoneinfo import ZoneInfo

import h3
import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.search import territory_today
from tenant_apps.deserts import selectors
from tenant_apps.deserts.actions import compute_deserts
from tenant_apps.deserts.compute import population_by_cell
from tenant_apps.deserts.demo import demo_population, synthetic_districts
from tenant_apps.deserts.models import DesertCell, DesertRun, PopulationArea
from tenant_apps.deserts.tasks import compute_deserts_task
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, make_venue
from tests.tenant_apps.deserts.factories import build_grid, grid_for, point_of


def cells_of(run):
    return {c.cell: c for c in DesertCell.objects.filter(run=run, resolution=8)}


def test_index_and_median_ratio_on_a_hand_made_grid(territory_a):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=1000, k=10)
        cells = cells_of(run)
    assert set(cells) == {grid.centre, grid.neighbour, grid.far}
    centre, neighbour, far = cells[grid.centre], cells[grid.neighbour], cells[grid.far]
    assert (centre.supply, neighbour.supply, far.supply) == (2.0, 1.0, 1.0)
    assert (centre.reachable_supply, far.reachable_supply) == (3.0, 1.0)
    assert (centre.reachable_population, far.reachable_population) == (1500.0, 4000.0)
    assert centre.index == pytest.approx(2.0)
    assert neighbour.index == pytest.approx(2.0)
    assert far.index == pytest.approx(0.25)
    assert run.median_index == pytest.approx(2.0)
    assert far.ratio == pytest.approx(0.125)
    assert centre.ratio == pytest.approx(1.0)
    assert (run.populated_cells, run.desert_cells) == (3, 1)
    assert far.is_desert and not centre.is_desert
    assert run.status == DesertRun.Status.DONE
    # Online supply is counted apart: 3 sessions a week of robotics.
    assert run.online_supply == 3.0
    assert run.online_by_interest == {"robotics": 3.0}


def test_supply_per_interest_is_reachable_sessions(territory_a):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=1000, k=10)
        cells = cells_of(run)
        music = {row.cell: row for row in selectors.cell_rows(run, interest="music")}
    assert cells[grid.centre].reachable_by_interest == {"robotics": 2.0, "music": 1.0}
    assert cells[grid.far].reachable_by_interest == {"music": 1.0}
    # Music only: 1 session for 1,500 at the centre, 1 for 4,000 far away.
    assert music[grid.centre].index == pytest.approx(1000 / 1500)
    assert music[grid.far].index == pytest.approx(0.25)
    assert music[grid.far].ratio == pytest.approx(0.25 / (1000 / 1500))


def test_demand_of_cells_under_k_searches_is_suppressed(territory_a):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=1000, k=10)
        cells = cells_of(run)
    centre, neighbour, far = cells[grid.centre], cells[grid.neighbour], cells[grid.far]
    assert not centre.suppressed
    assert (centre.searches, centre.zero_result_searches, centre.interest_clicks) == (12, 3, 2)
    assert centre.searches_by_interest == {"music": 12}
    # Three searches, all without result: fewer than k, so nothing is shown.
    assert neighbour.suppressed
    assert neighbour.searches is None
    assert neighbour.zero_result_searches is None
    assert neighbour.interest_clicks is None
    assert neighbour.searches_by_interest is None
    # Old searches are outside the window.
    assert far.suppressed and far.searches is None
    # Territory totals count every search of the window.
    assert (run.searches, run.zero_result_searches, run.interest_clicks) == (17, 6, 2)
    assert grid.lonely not in cells


def test_a_lower_k_shows_the_small_cell(territory_a):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=1000, k=3)
        neighbour = cells_of(run)[grid.neighbour]
    assert not neighbour.suppressed
    assert neighbour.searches == 3


def test_a_larger_distance_reaches_further(territory_a):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=5000, k=10)
        cells = cells_of(run)
    # Everything within reach of everything: 4 sessions for 5,500 young people.
    assert set(cells) == {grid.centre, grid.neighbour, grid.far}
    for cell in (grid.centre, grid.neighbour, grid.far):
        assert cells[cell].index == pytest.approx(4000 / 5500)


def test_only_the_latest_run_of_a_month_is_kept(territory_a):
    build_grid(territory_a)
    with tenant_context(territory_a):
        first = compute_deserts(territory_a, distance_m=1000)
        second = compute_deserts(territory_a, distance_m=1000)
        assert list(DesertRun.objects.values_list("pk", flat=True)) == [second.pk]
        assert not DesertCell.objects.filter(run_id=first.pk).exists()
        assert selectors.monthly_runs() == [second]


def test_runs_see_only_their_own_territory(territory_a, territory_b):
    build_grid(territory_a)
    with tenant_context(territory_b):
        run = compute_deserts(territory_b, distance_m=1000)
        assert run.searches == 0
        assert not DesertCell.objects.exists()


def test_compute_refuses_another_territorys_schema(territory_a, territory_b):
    with tenant_context(territory_b), pytest.raises(RuntimeError):
        compute_deserts(territory_a)


def test_a_polygon_is_split_evenly_over_the_cells_it_covers(territory_a):
    ring = ((25.27, 54.68), (25.30, 54.68), (25.30, 54.70), (25.27, 54.70), (25.27, 54.68))
    polygon = MultiPolygon(Polygon(ring), srid=4326)
    area = PopulationArea(code="X", name="X", young_people=600, polygon=polygon)
    found = population_by_cell([area])
    covered = h3.geo_to_cells(json.loads(polygon.json), 8)
    assert set(found) == set(covered)
    assert sum(found.values()) == pytest.approx(600)
    assert len({round(v, 6) for v in found.values()}) == 1


def test_demo_population_is_deterministic_and_sums_to_the_total():
    first = synthetic_districts("vilnius", 54.6872, 25.2797, 95000)
    again = synthetic_districts("vilnius", 54.6872, 25.2797, 95000)
    assert [(c, n, y) for c, n, y, _ in first] == [(c, n, y) for c, n, y, _ in again]
    assert len(first) == 49
    assert abs(sum(y for _, _, y, _ in first) - 95000) <= 49
    assert all(polygon.valid for *_, polygon in first)


def test_demo_step_loads_population_and_a_run_once(territory_a):
    with tenant_context(territory_a):
        demo_population(territory_a, {})
        demo_population(territory_a, {})
        assert PopulationArea.objects.count() == 49
        run = selectors.latest_run()
        assert run is not None and run.populated_cells > 0


def test_nightly_task_computes_and_a_done_run_is_left_alone(territory_a):
    build_grid(territory_a)
    with tenant_context(territory_a):
        assert compute_deserts_task.delay().get() == "done"
        run = DesertRun.objects.get()
        assert run.status == DesertRun.Status.DONE
        assert compute_deserts_task.delay(run.pk).get() == "already-done"


def test_sessions_per_week_follow_the_schedule_kind(territory_a):
    grid = grid_for(territory_a)
    lat, lon = point_of(grid.centre)
    provider = make_provider(territory_a, "Schedules")
    venue = make_venue(territory_a, provider, "Hall", lat=lat, lon=lon)
    today = territory_today(territory_a.timezone)
    tz = ZoneInfo(territory_a.timezone)

    def at(days: int) -> sched.Session:
        day = today + datetime.timedelta(days=days)
        return sched.Session(datetime.datetime(day.year, day.month, day.day, 16, tzinfo=tz))

    # Three dated sessions over fifteen days: 3 x 7 / 15 = 1.4 a week.
    make_activity(
        territory_a,
        provider,
        "Workshops",
        venue=venue,
        schedule_kind="sessions",
        sessions=[at(1), at(8), at(15)],
    )
    # Every day for a month: 7 a week. Always open: counted as 5.
    make_activity(
        territory_a,
        provider,
        "Camp",
        venue=venue,
        schedule_kind="range",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=30),
    )
    make_activity(territory_a, provider, "Open lab", venue=venue, schedule_kind="open")
    # Ended yesterday: no longer supply.
    make_activity(
        territory_a,
        provider,
        "Last season",
        venue=venue,
        schedule_kind="range",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
    )
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=1000)
        centre = DesertCell.objects.get(run=run, cell=grid.centre, resolution=8)
    assert centre.supply == pytest.approx(1.4 + 7 + 5)


def test_the_district_view_has_finer_cells_without_demand(territory_a):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=1000)
        fine = {c.cell: c for c in DesertCell.objects.filter(run=run, resolution=9)}
    # Each venue and each population point lies in one resolution-9 child of its cell.
    assert len(fine) == 3
    assert {h3.cell_to_parent(cell, 8) for cell in fine} == {grid.centre, grid.neighbour, grid.far}
    assert sum(c.population for c in fine.values()) == 5500
    assert sum(c.supply for c in fine.values()) == 4.0
    # Searches are logged at resolution 8 only: nothing to show at 9.
    assert all(c.suppressed and c.searches is None for c in fine.values())
    # The run's summary stays the city view's.
    assert (run.populated_cells, run.median_index) == (3, pytest.approx(2.0))
