"""Issue 18, A2: the feeds build their items from plain rows (selectors.describe_rows,
no model instance per item) and must say exactly what the activity page's JSON-LD
says (jsonld.activity_jsonld, the catalogue's own builder): compared item by item
for every kind of schedule and place, in two languages; one item's whole structure
pinned; tombstones of the changes feed pinned."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from django_tenants.utils import tenant_context

from shared_apps.core.hosts import territory_url
from tenant_apps.catalogue import actions, jsonld
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity
from tests.tenant_apps.catalogue.factories import make_activity, make_venue, weekly

UTC = datetime.UTC
ONLINE = "https://meet.example.org/robots"


@pytest.fixture
def published(territory_a, provider_a, django_capture_on_commit_callbacks):
    """Public activities of aurora, each announced to the changes feed."""

    def make(title: str, **fields: Any) -> Activity:
        with django_capture_on_commit_callbacks(execute=True):
            return make_activity(territory_a, provider_a, title, **fields)

    return make


def _sessions() -> list[sched.Session]:
    # Out of order on purpose; the last one has no end.
    return [
        sched.Session(datetime.datetime(2031, 3, 11, 15, 0, tzinfo=UTC)),
        sched.Session(
            datetime.datetime(2031, 3, 4, 15, 0, tzinfo=UTC),
            datetime.datetime(2031, 3, 4, 16, 30, tzinfo=UTC),
        ),
        sched.Session(
            datetime.datetime(2031, 3, 18, 9, 0, tzinfo=UTC),
            datetime.datetime(2031, 3, 18, 10, 0, tzinfo=UTC),
        ),
    ]


@pytest.fixture
def catalogue(territory_a, provider_a, venue_a, published) -> dict[str, Activity]:
    """One public activity of each shape the JSON-LD distinguishes."""
    today = datetime.date(2031, 3, 1)
    hall = make_venue(territory_a, provider_a, "Second hall", lat=54.68, lon=25.27)
    return {
        "weekly": published(
            "Robotics club",
            venue=venue_a,
            interests=("robotics", "digital"),
            is_free=False,
            price=Decimal("12.50"),
            translations={"en": {"title": "Robotics club EN"}},
            **weekly(territory_a, exceptions=[]),
        ),
        "weekly_exceptions": published(
            "Chess club",
            venue=hall,
            interests=(),
            **weekly(
                territory_a,
                weekdays=[0, 2, 4],
                end_time=None,
                exceptions=[today + datetime.timedelta(days=400)],
            ),
        ),
        "sessions": published(
            "Drone workshop",
            venue=venue_a,
            format=Activity.Format.HYBRID,
            online_url=ONLINE,
            interests=("digital", "robotics"),
            schedule_kind=Activity.ScheduleKind.SESSIONS,
            sessions=_sessions(),
        ),
        "range_online": published(
            "Coding camp",
            format=Activity.Format.ONLINE,
            online_url=ONLINE,
            schedule_kind=Activity.ScheduleKind.RANGE,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=4),
        ),
        "range_timed": published(
            "Summer science days",
            venue=hall,
            schedule_kind=Activity.ScheduleKind.RANGE,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=2),
            start_time=datetime.time(10, 0),
            end_time=datetime.time(14, 0),
        ),
        "local_no_venue": published(
            "Nature walks",
            **weekly(territory_a),
        ),
        "open": published(
            "Open library",
            venue=venue_a,
            schedule_kind=Activity.ScheduleKind.OPEN,
        ),
    }


def _page_jsonld(territory, activity_id: int, language: str) -> dict[str, Any]:
    """What the activity's own page publishes (the catalogue's builder, from a model
    instance), as the feed shows it: no @context, an identifier, through JSON."""
    with tenant_context(territory), translation.override(language):
        activity = (
            Activity.objects.select_related("provider", "venue")
            .prefetch_related("interests", "sessions")
            .get(pk=activity_id)
        )
        data = jsonld.activity_jsonld(
            activity,
            activity.schedule(territory.timezone),
            url=territory_url(territory, activity.get_absolute_url()),
            provider_url=territory_url(
                territory, reverse("catalogue:provider", args=[activity.provider.slug])
            ),
            currency=territory.currency,
        )
    data.pop("@context")
    data["identifier"] = str(activity_id)
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("language", ["en", "lt"])
def test_feed_items_are_the_activity_pages_json_ld(territory_a, client_for, catalogue, language):
    client = client_for(territory_a)
    client.cookies["django_language"] = language

    feed = client.get("/api/open-data/activities/?page_size=500").json()["dataFeedElement"]
    changes = client.get("/api/open-data/changes/?limit=500").json()["items"]

    by_id = {item["identifier"]: item for item in feed}
    assert len(feed) == len(catalogue)
    data_by_id = {str(item["id"]): item["data"] for item in changes}
    for name, activity in catalogue.items():
        expected = _page_jsonld(territory_a, activity.pk, language)
        assert by_id[str(activity.pk)] == expected, name
        assert data_by_id[str(activity.pk)] == {"@context": "https://schema.org", **expected}, name
        # The same keys in the same order (the bytes of a page do not move either).
        assert list(by_id[str(activity.pk)]) == list(expected), name


def test_an_activity_with_sessions_venue_and_interests_in_full(
    territory_a, provider_a, client_for, catalogue
):
    activity = catalogue["sessions"]
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    response = client.get("/api/open-data/activities/")
    assert response.status_code == 200
    feed = response.json()["dataFeedElement"]
    item = next(i for i in feed if i["identifier"] == str(activity.pk))
    url = territory_url(territory_a, f"/activities/{activity.pk}/")

    assert item == {
        "name": "Drone workshop",
        "description": "Build and program robots with friends.",
        "url": url,
        "inLanguage": [territory_a.default_language],
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": territory_a.currency,
            "url": url,
            "availability": "https://schema.org/InStock",
        },
        "audience": {"@type": "PeopleAudience", "suggestedMinAge": 0, "suggestedMaxAge": 99},
        # The taxonomy's order, in the reader's language.
        "keywords": "Digital skills, Robotics",
        "@type": "Event",
        "organizer": {
            "@type": "Organization",
            "name": "Žirmūnų jaunimo centras",
            "url": territory_url(territory_a, f"/providers/{provider_a.slug}/"),
        },
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
        "location": [
            {
                "@type": "Place",
                "name": "Žirmūnų salė",
                "address": {"@type": "PostalAddress", "streetAddress": "Main street 1"},
                "geo": {"@type": "GeoCoordinates", "latitude": 54.7012, "longitude": 25.3003},
            },
            {"@type": "VirtualLocation", "url": ONLINE},
        ],
        # First session's start, last session's start (it has no end).
        "startDate": "2031-03-04T15:00:00+00:00",
        "endDate": "2031-03-18T10:00:00+00:00",
        "identifier": str(activity.pk),
    }
    # Its translations are not published in the feed (the page's JSON-LD has none).
    assert "Drone workshop" in response.text
    assert "Robotics club EN" not in response.text


def test_tombstones_in_full(
    territory_a, client_for, catalogue, user, django_capture_on_commit_callbacks
):
    client = client_for(territory_a)
    first = client.get("/api/open-data/changes/?limit=500").json()
    gone, hidden = catalogue["sessions"], catalogue["open"]
    gone_id = gone.pk
    with django_capture_on_commit_callbacks(execute=True), tenant_context(territory_a):
        actions.delete_activity(activity=gone, territory=territory_a, acting_user=user("anna"))
        # Not public any more, its own feed entry not written yet: shown as deleted.
        Activity.objects.filter(pk=hidden.pk).update(is_public=False)

    parts = urlsplit(first["next"])
    later = client.get(f"{parts.path}?{parts.query}")
    assert later.status_code == 200
    items = later.json()["items"]
    assert items == [
        {
            "state": "deleted",
            "kind": "Event",
            "id": gone_id,
            "modified": max(i["modified"] for i in first["items"]) + 1,
        }
    ]
    again = client.get("/api/open-data/changes/?limit=500").json()["items"]
    open_item = next(i for i in again if i["id"] == hidden.pk)
    assert open_item == {
        "state": "deleted",
        "kind": "Course",
        "id": hidden.pk,
        "modified": open_item["modified"],
    }
