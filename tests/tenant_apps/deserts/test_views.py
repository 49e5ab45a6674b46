import csv
import datetime
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.audit.models import AuditEntry
from tenant_apps.deserts.actions import compute_deserts
from tenant_apps.deserts.models import DesertCell, DesertRun, PopulationArea
from tests.tenant_apps.deserts.factories import build_grid


@pytest.fixture
def grid_run(territory_a):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        run = compute_deserts(territory_a, distance_m=1000, k=10)
    return grid, run


def admin_client(client_for, territory, user, name):
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    client.sign_in(user(name))
    return client


def test_admin_sees_map_table_and_legend(
    grid_run, territory_a, client_for, user, django_assert_max_num_queries
):
    grid, _run = grid_run
    client = admin_client(client_for, territory_a, user, "anna")
    with django_assert_max_num_queries(20):
        response = client.get("/manage/deserts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="deserts-map"' in html
    assert "#440154" in html  # the desert colour of the legend (viridis)
    assert grid.far in html and grid.centre in html
    # The far cell sorts first (lowest index) and is marked a desert.
    assert html.index(grid.far) < html.index(grid.centre)
    assert "desert" in html


def test_page_queries_do_not_grow_with_cells(
    territory_a, client_for, user, django_assert_max_num_queries
):
    build_grid(territory_a)
    with tenant_context(territory_a):
        for number in range(40):
            PopulationArea.objects.create(
                code=f"extra{number}",
                name="x",
                young_people=10,
                point=Point(25.0 + number * 0.02, 54.5, srid=4326),
            )
        compute_deserts(territory_a, distance_m=1000)
    client = admin_client(client_for, territory_a, user, "anna")
    with django_assert_max_num_queries(20):
        assert client.get("/manage/deserts/?sort=-index&interest=music").status_code == 200


def test_csv_and_geojson_exports_carry_no_suppressed_demand(
    grid_run, territory_a, client_for, user
):
    grid, _run = grid_run
    client = admin_client(client_for, territory_a, user, "anna")
    rows = list(
        csv.DictReader(io.StringIO(client.get("/manage/deserts/export.csv").content.decode()))
    )
    by_cell = {row["cell"]: row for row in rows}
    assert by_cell[grid.centre]["searches"] == "12"
    assert by_cell[grid.neighbour]["searches"] == ""
    assert by_cell[grid.neighbour]["suppressed"] == "True"
    data = json.loads(client.get("/manage/deserts/export.geojson").content)
    features = {f["properties"]["cell"]: f for f in data["features"]}
    assert features[grid.far]["geometry"]["type"] == "Polygon"
    assert features[grid.neighbour]["properties"]["searches"] is None
    assert client.get("/manage/deserts/export.xlsx").status_code == 404


@pytest.mark.parametrize(("name", "status"), [("bruno", 302), ("ada", 403), ("alan", 403)])
def test_others_cannot_see_auroras_analytics(grid_run, territory_a, client_for, user, name, status):
    # bruno (admin of borealis) is not a member here: sent to sign in; the others refused.
    client = client_for(territory_a)
    client.sign_in(user(name))
    for url in ("/manage/deserts/", "/manage/deserts/export.csv", "/manage/deserts/population/"):
        assert client.get(url).status_code == status
    assert client.post("/manage/deserts/run/").status_code == status
    with tenant_context(territory_a):
        assert DesertRun.objects.count() == 1


def test_borealis_admin_sees_only_borealis(grid_run, territory_b, client_for, user):
    grid, _run = grid_run
    client = admin_client(client_for, territory_b, user, "bruno")
    response = client.get("/manage/deserts/")
    assert response.status_code == 200
    assert grid.centre not in response.content.decode()
    assert client.get("/manage/deserts/export.csv").status_code == 404


def test_compute_now_queues_and_runs_the_task(
    territory_a, client_for, user, django_capture_on_commit_callbacks
):
    build_grid(territory_a)
    client = admin_client(client_for, territory_a, user, "anna")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/manage/deserts/run/")
    assert response.status_code == 302
    with tenant_context(territory_a):
        assert DesertRun.objects.get().status == DesertRun.Status.PENDING
        # The request committed inside the territory's schema; the task is sent there.
        for callback in callbacks:
            callback()
        run = DesertRun.objects.get()
        assert run.status == DesertRun.Status.DONE
        assert run.median_index is not None
    assert AuditEntry.objects.filter(action="deserts.run_requested", territory=territory_a).exists()


def test_a_lost_request_does_not_block_the_button_forever(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    with tenant_context(territory_a):
        stale = DesertRun.objects.create()
        DesertRun.objects.filter(pk=stale.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=2)
        )
    assert "Compute now" in client.get("/manage/deserts/").content.decode()
    client.post("/manage/deserts/run/")
    with tenant_context(territory_a):
        assert DesertRun.objects.filter(status=DesertRun.Status.PENDING).count() == 2
    # A fresh request is not duplicated.
    client.post("/manage/deserts/run/")
    assert "Computation queued" in client.get("/manage/deserts/").content.decode()
    with tenant_context(territory_a):
        assert DesertRun.objects.filter(status=DesertRun.Status.PENDING).count() == 2


def upload(client, name, content, replace=False):
    data: dict[str, object] = {"file": SimpleUploadedFile(name, content.encode())}
    if replace:
        data["replace"] = "on"
    return client.post("/manage/deserts/population/", data)


def test_csv_upload_saves_all_rows(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    response = upload(
        client,
        "p.csv",
        "code,name,young_people,lat,lon\n"
        "01,Senamiestis,1200,54.68,25.28\n02,Žirmūnai,3400,54.71,25.30\n",
    )
    assert response.status_code == 302
    with tenant_context(territory_a):
        areas = {a.code: a for a in PopulationArea.objects.all()}
    assert areas["02"].young_people == 3400
    assert areas["02"].name == "Žirmūnai"
    point = areas["01"].point
    assert point is not None and point.y == pytest.approx(54.68)


def test_a_bad_csv_row_saves_nothing_and_names_the_row(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    response = upload(
        client,
        "p.csv",
        "code,name,young_people,lat,lon\n01,A,1200,54.68,25.28\n02,B,many,54.71,25.30\n03,C,5,,\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Row 3: young people must be a whole number" in html
    assert "Row 4: no lat, lon and no stored polygon with this code" in html
    with tenant_context(territory_a):
        assert not PopulationArea.objects.exists()


def test_geojson_upload_then_csv_by_polygon_code(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    ring = [[25.27, 54.68], [25.30, 54.68], [25.30, 54.70], [25.27, 54.70], [25.27, 54.68]]
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"code": "P1", "name": "Centre", "young_people": 900},
            }
        ],
    }
    assert upload(client, "areas.geojson", json.dumps(document)).status_code == 302
    # The polygon is kept; a CSV updates the figure by code, without coordinates.
    assert upload(client, "p.csv", "code,name,young_people,lat,lon\nP1,,950,,\n").status_code == 302
    with tenant_context(territory_a):
        area = PopulationArea.objects.get(code="P1")
    assert area.young_people == 950
    assert area.polygon is not None and area.polygon.srid == 4326
    assert area.name == "Centre"


def test_geojson_with_a_bad_geometry_is_refused(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [25.2, 54.6]},
                "properties": {"code": "P1", "young_people": 1},
            }
        ],
    }
    response = upload(client, "a.geojson", json.dumps(document))
    assert "Feature 1: the geometry must be a Polygon or MultiPolygon" in response.content.decode()
    response = upload(client, "a.geojson", "{not json")
    assert "The file is not GeoJSON" in response.content.decode()


def test_replace_removes_areas_missing_from_the_file(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    upload(client, "p.csv", "code,name,young_people,lat,lon\n01,A,1,54.68,25.28\n")
    upload(client, "p.csv", "code,name,young_people,lat,lon\n02,B,2,54.68,25.28\n", replace=True)
    with tenant_context(territory_a):
        assert list(PopulationArea.objects.values_list("code", flat=True)) == ["02"]


def test_coordinator_compares_only_assigned_territories(
    grid_run, territory_a, territory_b, network_client, user
):
    with tenant_context(territory_b):
        compute_deserts(territory_b)
    network_client.cookies["django_language"] = "en"
    network_client.sign_in(user("cora"))
    response = network_client.get("/deserts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aurora" in html
    assert "Borealis" not in html
    assert "200 %" not in html


@pytest.mark.parametrize("name", ["anna", "ada"])
def test_non_coordinators_are_refused_on_the_network_site(network_client, user, name):
    network_client.sign_in(user(name))
    assert network_client.get("/deserts/").status_code == 403


def test_the_network_page_does_not_exist_on_a_territory_host(territory_a, client_for, user):
    client = client_for(territory_a)
    client.sign_in(user("anna"))
    assert client.get("/deserts/").status_code == 404


def test_interest_filter_shows_that_interests_searches_and_last_months_index(
    territory_a, client_for, user
):
    grid = build_grid(territory_a)
    with tenant_context(territory_a):
        earlier = compute_deserts(territory_a, distance_m=1000)
        # Pretend it was last month's run, then compute this month's.
        assert earlier.month is not None
        month = earlier.month.replace(year=earlier.month.year - 1)
        DesertRun.objects.filter(pk=earlier.pk).update(month=month)
        DesertCell.objects.filter(run=earlier, cell=grid.far).update(index=9.5)
        compute_deserts(territory_a, distance_m=1000)
        assert DesertRun.objects.count() == 2
    client = admin_client(client_for, territory_a, user, "anna")
    html = client.get("/manage/deserts/").content.decode()
    assert "Previous month" in html
    assert "9.50" in html
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/manage/deserts/export.csv?interest=arts").content.decode())
        )
    )
    centre = next(row for row in rows if row["cell"] == grid.centre)
    # Twelve searches, all for music: none for arts (below k, so blank, as any figure
    # under k is); no arts supply either.
    assert (centre["searches"], centre["reachable_supply"], centre["supply"]) == ("", "0.0", "")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/manage/deserts/export.csv?interest=music").content.decode())
        )
    )
    centre = next(row for row in rows if row["cell"] == grid.centre)
    assert centre["searches"] == "12"


def test_the_comparison_reads_all_territories_in_one_query(
    grid_run, territory_a, territory_b, network_client, user, django_assert_max_num_queries
):
    from shared_apps.accounts.models import Coordinator

    coordinator = Coordinator.objects.get(user=user("cora"))
    coordinator.all_territories = True
    coordinator.save()
    network_client.cookies["django_language"] = "en"
    network_client.sign_in(user("cora"))
    # Session, user, coordinator, territories, the one UNION over the schemas, and a
    # few the base layout needs; not one per territory.
    with django_assert_max_num_queries(10) as captured:
        html = network_client.get("/deserts/").content.decode()
    assert "Aurora" in html and "Borealis" in html
    assert sum("deserts_desertrun" in q["sql"] for q in captured.captured_queries) == 1


def test_duplicate_codes_are_row_errors_and_uploads_are_audited(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    response = upload(
        client, "p.csv", "code,name,young_people,lat,lon\n01,A,1,54.6,25.2\n01,B,2,54.6,25.2\n"
    )
    assert "Row 3: the code appears twice" in response.content.decode()
    assert not AuditEntry.objects.filter(action="deserts.population_uploaded").exists()
    upload(client, "p.csv", "code,name,young_people,lat,lon\n01,A,1,54.6,25.2\n")
    entry = AuditEntry.objects.get(action="deserts.population_uploaded")
    assert entry.territory == territory_a
    assert entry.details == {"areas": 1, "replace": False}


def test_a_csv_without_the_columns_is_refused(territory_a, client_for, user):
    client = admin_client(client_for, territory_a, user, "anna")
    response = upload(client, "p.csv", "district;people\n01;5\n")
    assert "A CSV needs the columns code, name, young_people" in response.content.decode()


def test_the_district_view_on_the_page_and_in_the_exports(grid_run, territory_a, client_for, user):
    grid, _run = grid_run
    client = admin_client(client_for, territory_a, user, "anna")
    html = client.get("/manage/deserts/?res=9").content.decode()
    assert "Searches are counted in the city view only." in html
    assert grid.centre not in html
    data = json.loads(client.get("/manage/deserts/export.geojson?res=9").content)
    cells = {f["properties"]["cell"] for f in data["features"]}
    assert len(cells) == 3
    assert all(len(cell) == 15 and cell[1] == "9" for cell in cells)
    assert all(f["properties"]["searches"] is None for f in data["features"])
