from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from tenants.actions import change_territory_status
from tenants.models import Domain, Territory

# Rendering the cards: search_path to public, the live territories (then cached).
NETWORK_HOME_QUERIES = 2


def add_territory_rows(count: int) -> None:
    """Territory rows without schemas: enough for a listing (never served)."""
    for i in range(count):
        territory = Territory.objects.create(
            name=f"Town {i}",
            slug=f"town-{i}",
            slug_skeleton=f"town{i}",
            schema_name=f"t_town_{i}",
            country="FI",
            default_language="fi",
            languages=["fi"],
            timezone="Europe/Helsinki",
            map_center=Point(25.0, 60.0, srid=4326),
            status=Territory.Status.ACTIVE,
        )
        Domain.objects.create(domain=territory.host, tenant=territory, is_verified=True)


@override_settings(PLATFORM_PORT="8000")
def test_network_home_lists_live_territories_with_links(db: None) -> None:
    # The port is the platform's, not the request's (shared_apps/core/hosts.py).
    client = Client(HTTP_HOST="localhost:1")
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "Cities and Regions of Learning" in page
    assert 'href="http://aurora.localhost:8000/"' in page
    assert 'href="http://borealis.localhost:8000/"' in page


def test_network_home_hides_territories_not_live(territory_a: Territory) -> None:
    change_territory_status(
        territory=territory_a, status=Territory.Status.ARCHIVED, acting_user=None
    )
    response = Client(HTTP_HOST="localhost").get("/")
    page = response.content.decode()
    assert response.status_code == 200
    # The list of territories is there: the live one stays on it.
    assert "borealis.localhost" in page
    assert "aurora.localhost" not in page


def test_network_home_queries_do_not_grow_with_territories(
    db: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client(HTTP_HOST="localhost")
    with django_assert_num_queries(NETWORK_HOME_QUERIES):
        client.get("/")
    with django_assert_num_queries(0):  # the cards come from the cache
        client.get("/")
    add_territory_rows(15)  # any change to territories invalidates the cards
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert len(queries) == NETWORK_HOME_QUERIES
    assert "Town 14" in page
