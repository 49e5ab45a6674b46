"""Every published demand figure of a cell counts at least k events: per interest,
zero-result searches and "interested" clicks too, not only the cell's total."""

import csv
import datetime
import io
import json
import re

import h3
import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.deserts.models import DesertCell, DesertRun


@pytest.fixture
def hand_made_cell(territory_a):
    """One cell of 50 searches: 47 for music, 3 for arts; 4 found nothing; 2 clicks."""
    cell = h3.latlng_to_cell(territory_a.map_center.y, territory_a.map_center.x, 8)
    lat, lon = h3.cell_to_latlng(cell)
    with tenant_context(territory_a):
        now = timezone.now()
        run = DesertRun.objects.create(
            status=DesertRun.Status.DONE,
            computed_at=now,
            month=datetime.date(now.year, now.month, 1),
            k=10,
        )
        DesertCell.objects.create(
            run=run,
            cell=cell,
            lat=lat,
            lon=lon,
            population=800,
            reachable_population=800,
            supply=2,
            reachable_supply=2,
            reachable_by_interest={"music": 2},
            index=2.5,
            ratio=1.0,
            searches=50,
            zero_result_searches=4,
            interest_clicks=2,
            searches_by_interest={"music": 47, "arts": 3},
            suppressed=False,
        )
    return cell


def _admin(client_for, territory, user):
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    client.sign_in(user("anna"))
    return client


def _csv_row(client, query: str, cell: str) -> dict[str, str]:
    text = client.get(f"/manage/deserts/export.csv{query}").content.decode()
    return next(row for row in csv.DictReader(io.StringIO(text)) if row["cell"] == cell)


def _geojson_properties(client, query: str, cell: str) -> dict[str, object]:
    data = json.loads(client.get(f"/manage/deserts/export.geojson{query}").content)
    return next(f["properties"] for f in data["features"] if f["properties"]["cell"] == cell)


def _page_demand(client, query: str, cell: str) -> list[str]:
    html = client.get(f"/manage/deserts/{query}").content.decode()
    row = re.search(rf"<tr><th scope=\"row\">[^<]*<span[^>]*></span>{cell}</th>(.*?)</tr>", html)
    assert row is not None
    # The last three cells of the row: searches, without result, interested.
    return re.findall(r"<td>(.*?)</td>", row.group(1))[-3:]


def test_an_interest_with_3_searches_in_a_cell_of_50_is_blank_everywhere(
    hand_made_cell, territory_a, client_for, user
):
    client = _admin(client_for, territory_a, user)
    # The arts figure (3) is blanked in the page, the CSV and the GeoJSON ...
    assert _page_demand(client, "?interest=arts", hand_made_cell) == ["hidden"] * 3
    assert _csv_row(client, "?interest=arts", hand_made_cell)["searches"] == ""
    assert _geojson_properties(client, "?interest=arts", hand_made_cell)["searches"] is None
    # ... while music (47) is published.
    assert _page_demand(client, "?interest=music", hand_made_cell)[0] == "47"
    assert _csv_row(client, "?interest=music", hand_made_cell)["searches"] == "47"
    assert _geojson_properties(client, "?interest=music", hand_made_cell)["searches"] == 47


def test_zero_result_searches_and_clicks_below_k_are_blank_everywhere(
    hand_made_cell, territory_a, client_for, user
):
    client = _admin(client_for, territory_a, user)
    assert _page_demand(client, "", hand_made_cell) == ["50", "hidden", "hidden"]
    row = _csv_row(client, "", hand_made_cell)
    assert (row["searches"], row["zero_result_searches"], row["interest_clicks"]) == ("50", "", "")
    properties = _geojson_properties(client, "", hand_made_cell)
    assert properties["searches"] == 50
    assert properties["zero_result_searches"] is None
    assert properties["interest_clicks"] is None


def test_territory_totals_below_k_are_blank_on_the_page_and_the_network_comparison(
    hand_made_cell, territory_a, client_for, user, network_client
):
    from shared_apps.accounts.models import Coordinator

    with tenant_context(territory_a):
        DesertRun.objects.update(searches=50, zero_result_searches=4)
    html = _admin(client_for, territory_a, user).get("/manage/deserts/").content.decode()
    summary = re.search(r'<dl class="deserts-summary">(.*?)</dl>', html, re.S)
    assert summary is not None
    assert "<dd>50</dd>" in summary.group(1) and "<dd>4</dd>" not in summary.group(1)
    assert "<dd>hidden</dd>" in summary.group(1)
    coordinator = Coordinator.objects.get(user=user("cora"))
    coordinator.all_territories = True
    coordinator.save()
    network_client.cookies["django_language"] = "en"
    network_client.sign_in(user("cora"))
    page = network_client.get("/deserts/").content.decode()
    row = re.search(rf"<th scope=\"row\">{territory_a.name}</th>(.*?)</tr>", page)
    assert row is not None
    # 4 of 50 found nothing: neither the count nor the share (8 %) is published.
    assert "(4)" not in row.group(1) and "8 %" not in row.group(1)
