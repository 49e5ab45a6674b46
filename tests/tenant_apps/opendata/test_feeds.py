"""Issue 18, A2: the territory's public catalogue as open data (schema.org JSON-LD
catalogue feed and RPDE changes feed): public only, licensed, paged, isolated."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import actions
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.opendata import changes
from tenant_apps.opendata.api import encode_cursor
from tenant_apps.opendata.models import FeedEntry
from tests.tenant_apps.catalogue.factories import make_activity, make_provider

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def published(territory_a, provider_a, django_capture_on_commit_callbacks):
    """Public activities of aurora, each announced to the changes feed."""

    def make(title: str, **fields) -> Activity:
        with django_capture_on_commit_callbacks(execute=True):
            return make_activity(territory_a, provider_a, title, **fields)

    return make


def test_catalogue_feed_lists_public_activities_only_as_schema_org(
    territory_a, provider_a, client_for, published
):
    published("Robotics club")
    published("Open library", schedule_kind=Activity.ScheduleKind.OPEN)
    make_activity(territory_a, provider_a, "Secret draft", status=Activity.Status.DRAFT)
    pending = make_provider(territory_a, "Unverified centre", status=Provider.Status.PENDING)
    make_activity(territory_a, pending, "Unverified robotics")

    response = client_for(territory_a).get("/api/open-data/activities/")

    assert response.status_code == 200
    body = response.json()
    assert body["@context"] == "https://schema.org"
    assert body["@type"] == "DataFeed"
    assert body["license"] == CC_BY
    items = {item["name"]: item for item in body["dataFeedElement"]}
    assert set(items) == {"Robotics club", "Open library"}
    assert items["Robotics club"]["@type"] == "Event"
    assert items["Open library"]["@type"] == "Course"
    assert "eventSchedule" in items["Robotics club"]
    # Nothing personal: the provider's contacts and the join contact stay out.
    assert "info@example.org" not in response.text
    assert "Secret draft" not in response.text and "Unverified" not in response.text
    assert body["next"] is None


def test_catalogue_feed_pages_with_an_opaque_cursor(territory_a, client_for, published):
    titles = [f"Club {n}" for n in range(5)]
    for title in titles:
        published(title)
    client = client_for(territory_a)

    seen: list[str] = []
    url: str | None = "/api/open-data/activities/?page_size=2"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [item["name"] for item in body["dataFeedElement"]]
        url = _path(body["next"]) if body["next"] else None
        pages += 1
    assert seen == titles
    assert pages == 3

    assert client.get("/api/open-data/activities/?cursor=nonsense").status_code == 400
    assert client.get("/api/open-data/activities/?page_size=0").status_code == 400
    assert client.get("/api/open-data/activities/?page_size=9999").status_code == 400


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feed_pages_cost_a_constant_number_of_queries(territory_a, client_for, published):
    client = client_for(territory_a)
    # One with single sessions: their query is made only when a page has such.
    starts = datetime.datetime(2031, 3, 4, 15, 0, tzinfo=datetime.UTC)
    published(
        "First", schedule_kind=Activity.ScheduleKind.SESSIONS, sessions=[sched.Session(starts)]
    )
    client.get("/api/open-data/activities/")  # the host's territory, memoised after
    few = (
        _count_queries(client, "/api/open-data/activities/"),
        _count_queries(client, "/api/open-data/changes/"),
    )
    for n in range(6):
        published(f"More {n}")
    many = (
        _count_queries(client, "/api/open-data/activities/"),
        _count_queries(client, "/api/open-data/changes/"),
    )
    assert few == many
    # SET search_path, activities, interests, sessions, licence (+ the feed entries).
    assert many == (5, 6)


def _plan(territory, sql: str) -> str:
    with tenant_context(territory), connection.cursor() as cursor:
        # A tiny table would be read whole, or reached through a join and sorted (the
        # reused test database's statistics decide): the point is what bounds the scan
        # that gives the feed's order, as it does on a catalogue of thousands.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_feed_pages_are_index_range_scans_without_offset(territory_a, client_for, published):
    clubs = [published(f"Club {n}") for n in range(3)]
    client = client_for(territory_a)
    cursor = encode_cursor(clubs[0].pk)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/open-data/changes/?afterTimestamp=1&afterId=0").status_code == 200
        assert client.get(f"/api/open-data/activities/?cursor={cursor}").status_code == 200
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    (feed_sql,) = [q["sql"] for q in queries if "opendata_feedentry" in q["sql"]]
    # Starts at the marker (an index condition), not at the feed's first entry.
    assert "Index Cond: (modified >= 1)" in _plan(territory_a, feed_sql)
    (page_sql,) = [q["sql"] for q in queries if '"catalogue_activity"."id" >' in q["sql"]]
    assert f"Index Cond: (id > {clubs[0].pk})" in _plan(territory_a, page_sql)


def test_changes_feed_orders_updates_and_keeps_tombstones(
    territory_a,
    provider_a,
    venue_a,
    client_for,
    user,
    django_capture_on_commit_callbacks,
    published,
):
    robotics = published("Robotics club")
    chess = published("Chess club")
    draft = make_activity(
        territory_a, provider_a, "Secret draft", status=Activity.Status.DRAFT, venue=venue_a
    )
    client = client_for(territory_a)

    first = client.get("/api/open-data/changes/").json()
    assert first["license"] == CC_BY
    assert [(i["id"], i["state"]) for i in first["items"]] == [
        (robotics.pk, "updated"),
        (chess.pk, "updated"),
    ]
    assert first["items"][0]["data"]["name"] == "Robotics club"
    assert first["items"][0]["data"]["@context"] == "https://schema.org"
    assert first["items"][0]["kind"] == "Event"
    modified = [i["modified"] for i in first["items"]]
    assert modified == sorted(modified)
    query = parse_qs(urlsplit(first["next"]).query)
    assert query == {
        "afterTimestamp": [str(modified[-1])],
        "afterId": [str(chess.pk)],
    }

    # Read to the end: an empty page whose next is itself.
    end = client.get(_path(first["next"])).json()
    assert end["items"] == []
    assert end["next"] == first["next"]

    admin = user("anna")
    chess_id = chess.pk
    with django_capture_on_commit_callbacks(execute=True), tenant_context(territory_a):
        actions.archive_activity(activity=robotics, territory=territory_a, acting_user=admin)
        actions.delete_activity(activity=chess, territory=territory_a, acting_user=admin)
        actions.submit_activity(activity=draft, territory=territory_a, acting_user=admin)

    later = client.get(_path(first["next"])).json()
    items = [(i["id"], i["state"]) for i in later["items"]]
    # The draft went to review, not public: it is not in the feed, not even by id.
    assert items == [(robotics.pk, "deleted"), (chess_id, "deleted")]
    assert all("data" not in i for i in later["items"])
    assert all(i["modified"] > modified[-1] for i in later["items"])
    assert "Secret draft" not in client.get("/api/open-data/changes/").text


def test_changes_feed_rejects_bad_markers(territory_a, client_for):
    client = client_for(territory_a)
    for query in ("afterTimestamp=abc", "afterTimestamp=-1", "afterId=3", "limit=0"):
        assert client.get(f"/api/open-data/changes/?{query}").status_code == 400, query


def test_other_territory_never_lists_these_activities(
    territory_a, territory_b, client_for, published, provider_b
):
    mine = published("Aurora robotics")
    other = client_for(territory_b)
    for url in ("/api/open-data/activities/", "/api/open-data/changes/"):
        response = other.get(url)
        assert response.status_code == 200
        assert "Aurora robotics" not in response.text
    assert all(i["id"] != mine.pk for i in other.get("/api/open-data/changes/").json()["items"])
    with tenant_context(territory_b):
        assert not FeedEntry.objects.exists()


def test_reconcile_catches_changes_whose_after_commit_write_was_lost(territory_a, provider_a):
    # Made without running the after-commit callbacks: the feed has not heard of it.
    activity = make_activity(territory_a, provider_a, "Robotics club")
    with tenant_context(territory_a):
        assert not FeedEntry.objects.exists()
        assert changes.reconcile() == 1
        assert FeedEntry.objects.get().activity_id == activity.pk
        assert changes.reconcile() == 0
        Activity.objects.filter(pk=activity.pk).update(is_public=False)
        assert changes.reconcile() == 1
        assert FeedEntry.objects.get().state == FeedEntry.State.DELETED
