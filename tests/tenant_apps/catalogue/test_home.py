from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from shared_apps.core.pagecache import bump_public_version
from tenant_apps.catalogue import home
from tests.tenant_apps.catalogue.factories import make_activity
from tests.tenant_apps.home.test_views import (
    BADGES_SECTION_QUERIES,
    HOME_TEXTS_QUERIES,
    PLAYLISTS_SECTION_QUERIES,
)


def test_home_sections_show_the_catalogue_and_stay_constant(
    territory_a, provider_a, venue_a, english, django_capture_on_commit_callbacks
):
    def cold_home_queries() -> int:
        client = english(territory_a)
        client.get("/")  # routing cache warm
        with tenant_context(territory_a):  # cache keys carry the schema
            cache.delete(home.CACHE_KEY)
            bump_public_version()  # and the cached page and its sections
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        assert "Robotikos" in html
        # search_path, totals, newest, interests; + the badges and playlists sections'
        # and the admin's home texts
        assert len(queries) == (
            4 + BADGES_SECTION_QUERIES + PLAYLISTS_SECTION_QUERIES + HOME_TEXTS_QUERIES
        )
        return len(queries)

    make_activity(territory_a, provider_a, "Robotikos būrelis 0", venue=venue_a)
    few = cold_home_queries()
    for i in range(1, 8):
        make_activity(territory_a, provider_a, f"Robotikos būrelis {i}", venue=venue_a)
    assert cold_home_queries() == few


def test_home_cache_is_dropped_when_an_activity_goes_public(
    territory_a, provider_a, english, django_capture_on_commit_callbacks
):
    client = english(territory_a)
    assert "No activities have been published here yet" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(territory_a, provider_a, "Brand new robotics")
    html = client.get("/").content.decode()
    assert "Brand new robotics" in html
    assert 'id="home-map"' in html
