import pytest

from tenant_apps.catalogue import maplayer
from tests.tenant_apps.catalogue.factories import make_activity, make_venue


def test_mercator_round_trip():
    x, y = maplayer.to_mercator(54.6872, 25.2797)
    lat, lon = maplayer.to_lat_lon(x, y)
    assert round(lat, 6) == 54.6872 and round(lon, 6) == 25.2797


@pytest.mark.parametrize("text", ["", "1,2,3", "a,b,c,d", "10,50,9,51", "10,50,11,95", "nan,1,2,3"])
def test_bad_boxes_are_refused(text):
    with pytest.raises(ValueError):
        maplayer.BBox.parse(text)


def test_clusters_at_low_zoom_and_places_when_zoomed_in(
    territory_a, provider_a, client_for, monkeypatch
):
    north = make_venue(territory_a, provider_a, "North", lat=54.74, lon=25.28)
    south = make_venue(territory_a, provider_a, "South", lat=54.66, lon=25.28)
    for i in range(4):
        make_activity(territory_a, provider_a, f"North {i}", venue=north)
    for i in range(2):
        make_activity(territory_a, provider_a, f"South {i}", venue=south)
    make_activity(
        territory_a, provider_a, "Online", format="online", online_url="https://x.example"
    )
    make_activity(territory_a, provider_a, "Draft north", venue=north, status="draft")
    client = client_for(territory_a)
    box = "bbox=25.0,54.5,25.6,54.9"

    # Few activities in view: places (venues) with their activities, even at low zoom.
    body = client.get(f"/api/map/?{box}&zoom=10").json()
    assert body["mode"] == "places" and body["total"] == 6
    by_count = sorted(p["count"] for p in body["places"])
    assert by_count == [2, 4]
    titles = {t for p in body["places"] for _id, t in p["activities"]}
    assert "Draft north" not in titles and "Online" not in titles

    # Many activities in view: server-side clusters.
    monkeypatch.setattr(maplayer, "MAX_PLACES", 3)
    body = client.get(f"/api/map/?{box}&zoom=10").json()
    assert body["mode"] == "clusters"
    assert sorted(c[2] for c in body["clusters"]) == [2, 4]
    assert body["total"] == 6
    # Zoomed in to street level, places again.
    assert client.get(f"/api/map/?{box}&zoom=16").json()["mode"] == "places"
    # Filters apply to the map too.
    body = client.get(f"/api/map/?{box}&zoom=10&q=South").json()
    assert body["total"] == 2


def test_cluster_cell_shrinks_with_zoom():
    assert maplayer.cell_size(10) == pytest.approx(maplayer.cell_size(11) * 2)


def test_cached_whole_city_clusters_follow_publishing(
    territory_a, provider_a, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(maplayer, "MAX_PLACES", 0)  # always clusters below street zoom
    venue = make_venue(territory_a, provider_a, "Hall", lat=54.70, lon=25.28)
    make_activity(territory_a, provider_a, "One", venue=venue)
    client = client_for(territory_a)
    url = "/api/map/?bbox=25.0,54.5,25.6,54.9&zoom=11"
    assert client.get(url).json()["total"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(territory_a, provider_a, "Two", venue=venue)
    assert client.get(url).json()["total"] == 2
    # A filtered view is computed live, not from the cache.
    assert client.get(url + "&q=Two").json()["total"] == 1


def test_filtered_clusters_are_cached_until_public_content_changes(
    territory_a,
    territory_b,
    provider_a,
    provider_b,
    client_for,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(maplayer, "MAX_PLACES", 0)  # always clusters below street zoom
    venue = make_venue(territory_a, provider_a, "Hall", lat=54.70, lon=25.28)
    make_activity(territory_a, provider_a, "Music one", venue=venue, interests=["music"])
    make_activity(territory_a, provider_a, "Robots", venue=venue, interests=["robotics"])
    client = client_for(territory_a)
    url = "/api/map/?bbox=25.0,54.5,25.6,54.9&zoom=11&interest=music"
    assert client.get(url).json()["total"] == 1
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).json()["total"] == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get(url + "&age=12").json()["total"] == 1
    # The repeated view reads no activity; a new filter is computed.
    assert not [q for q in first.captured_queries if "catalogue_activity" in q["sql"]]
    assert [q for q in again.captured_queries if "catalogue_activity" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(territory_a, provider_a, "Music two", venue=venue, interests=["music"])
    assert client.get(url).json()["total"] == 2
    # Isolation: the same URL on borealis counts borealis' activities only.
    other = make_venue(territory_b, provider_b, "Dvorana", lat=46.05, lon=14.50)
    make_activity(territory_b, provider_b, "Glasba", venue=other, interests=["music"])
    body = client_for(territory_b).get(url.replace("25.0,54.5,25.6,54.9", "14.0,45.8,15.0,46.3"))
    assert body.json()["total"] == 1
    assert client_for(territory_b).get(url).json()["total"] == 0


def test_a_filtered_city_view_is_grouped_once_per_zoom_for_any_box(
    territory_a, territory_b, provider_a, provider_b, client_for, monkeypatch
):
    """Up to maplayer.TERRITORY_ZOOM a filter's clusters are computed for the whole
    territory: a panned box at that zoom reads no table and counts what is in it;
    a closer zoom groups its own box."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(maplayer, "MAX_PLACES", 0)  # always clusters below street zoom
    north = make_venue(territory_a, provider_a, "North hall", lat=54.75, lon=25.28)
    south = make_venue(territory_a, provider_a, "South hall", lat=54.62, lon=25.28)
    make_activity(territory_a, provider_a, "Music north", venue=north, interests=["music"])
    make_activity(territory_a, provider_a, "Music south", venue=south, interests=["music"])
    make_activity(territory_a, provider_a, "Robots north", venue=north, interests=["robotics"])
    client = client_for(territory_a)
    city = "/api/map/?bbox=25.0,54.5,25.6,54.9&zoom=12&interest=music"
    assert client.get(city).json()["total"] == 2

    def activity_queries(url: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            total = client.get(url).json()["total"]
        return total, len(
            [q for q in captured.captured_queries if "catalogue_activity" in q["sql"]]
        )

    # Panned north (the south hall out of view): from the cached clusters.
    assert activity_queries(city.replace("54.5,", "54.7,")) == (1, 0)
    # Another zoom, another filter: grouped in SQL.
    assert activity_queries(city.replace("zoom=12", "zoom=11"))[1] == 1
    assert activity_queries(city.replace("music", "robotics")) == (1, 1)
    assert activity_queries(city.replace("zoom=12", "zoom=13"))[1] == 1
    # Free text: publicity written so that the text's GIN drives the grouping, not the
    # map's partial index (search.current).
    with CaptureQueriesContext(connection) as captured:
        assert client.get(city.replace("interest=music", "q=music")).json()["total"] == 2
    grouping = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouping) == 1 and '"catalogue_activity"."is_public" IS TRUE' in grouping[0]
    # Isolation: the other territory's cached cells are its own.
    other = make_venue(territory_b, provider_b, "Dvorana", lat=46.05, lon=14.50)
    make_activity(territory_b, provider_b, "Glasba", venue=other, interests=["music"])
    assert client_for(territory_b).get(city).json()["total"] == 0
    assert (
        client_for(territory_b)
        .get(city.replace("25.0,54.5,25.6,54.9", "14.0,45.8,15.0,46.3"))
        .json()["total"]
        == 1
    )
