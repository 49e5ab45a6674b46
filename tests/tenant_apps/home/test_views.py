from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from shared_apps.accounts.models import User
from tenants.models import Territory
from tests.conftest import ClientFor

# The host's territory comes from the route cache after the first request, and the
# catalogue's sections come from the cache too; apps that register home sections raise
# these pins, by a constant. Badges: search_path to the territory and one query.
BADGES_SECTION_QUERIES = 1
# Playlists: one query.
PLAYLISTS_SECTION_QUERIES = 1
# A visitor who is not signed in gets the whole page from the cache (issue #17: the
# same page for everyone, per territory and language, dropped on publish).
VISITOR_HOME_QUERIES = 0
# The admin's home texts (tenant_apps.home.selectors): one row, cached with the page.
HOME_TEXTS_QUERIES = 1
# Filling it: the sections' queries (search_path counted with the badges).
VISITOR_HOME_COLD_QUERIES = (
    1 + BADGES_SECTION_QUERIES + PLAYLISTS_SECTION_QUERIES + HOME_TEXTS_QUERIES
)
# Filling the catalogue sections' cache: the activity totals, the newest activities,
# the interests (the search_path is counted with the badges).
CATALOGUE_SECTIONS_COLD_QUERIES = 3
# search_path to the territory, the session, the account and the membership check,
# the header's unread notifications; the sections come from their cached fragment.
MEMBER_HOME_QUERIES = 5


def test_home_is_branded_and_honest_about_empty_sections(
    territory_a: Territory, client_for: ClientFor
) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "Find what you love to learn in Aurora" in page
    assert territory_a.primary_color in page
    for empty_state in [
        "No learning places are on the map yet",
        "No activities have been published here yet",
        "No playlists yet",
        "No badges yet",
    ]:
        assert empty_state in page
    assert 'href="#main"' in page  # skip link
    assert 'id="language-switcher"' in page


def test_home_in_lithuanian_by_default(territory_a: Territory, client_for: ClientFor) -> None:
    page = client_for(territory_a).get("/").content.decode()
    assert "Find what you love to learn" not in page
    assert "Aurora" in page


def test_visitor_home_query_count(
    territory_a: Territory, client_for: ClientFor, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(territory_a)
    client.get("/")
    with django_assert_num_queries(VISITOR_HOME_QUERIES):
        assert client.get("/").status_code == 200


def test_member_home_query_count(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("anna"))
    client.get("/")
    with django_assert_num_queries(MEMBER_HOME_QUERIES):
        assert client.get("/").status_code == 200


def test_first_visit_resolves_the_host_with_one_query(
    territory_a: Territory, client_for: ClientFor, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # search_path to public, the domain lookup, then the sections (catalogue cold)
    with django_assert_num_queries(2 + VISITOR_HOME_COLD_QUERIES + CATALOGUE_SECTIONS_COLD_QUERIES):
        assert client_for(territory_a).get("/").status_code == 200


def test_home_query_count_does_not_depend_on_the_territory(
    territory_a: Territory, territory_b: Territory, client_for: ClientFor
) -> None:
    counts = []
    for territory in (territory_a, territory_b):
        client = client_for(territory)
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_home_hero_has_a_search_box_and_interest_tiles(
    territory_a: Territory, client_for: ClientFor
) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    hero = page.split('class="hero', 1)[1].split("</section>", 1)[0]
    # The search box sends to the activities' search, with a label.
    assert 'role="search"' in hero and 'action="/activities/"' in hero
    assert '<label for="hero-q"' in hero and 'id="hero-q" name="q"' in hero
    # No cover image yet: the territory's colours, no <img> to wait for.
    assert "hero--cover" not in page and "hero__cover" not in page
    # The interests as tiles, each a link to its search with a decorative icon.
    tiles = page.split('class="interest-tiles"', 1)[1].split("</section>", 1)[0]
    assert "Explore by interest" in tiles
    assert 'href="/activities/?interest=music"' in tiles
    assert tiles.count('aria-hidden="true" focusable="false"') == tiles.count("<li>") >= 10
    assert "<script" not in tiles and "style=" not in tiles


def test_home_hero_shows_the_cover_image_above_the_fold(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    from tests.tenant_apps.manage.test_views import admin_client, form_data, png

    # Through the settings form: the upload is checked and re-encoded like a logo.
    admin = admin_client(territory_a, client_for, user, "anna")
    response = admin.post("/manage/settings/", form_data(cover_image=png((800, 300))))
    assert response.status_code == 302
    territory_a.refresh_from_db()
    page = client_for(territory_a).get("/").content.decode()
    cover = (
        page.split('class="hero__cover"', 1)[0].rsplit("<img", 1)[1]
        + page.split('class="hero__cover"', 1)[1].split(">", 1)[0]
    )
    assert territory_a.cover_image.url in cover
    assert 'alt=""' in cover and 'width="1600" height="600"' in cover
    assert "lazy" not in cover  # the first thing seen: never deferred
    assert "hero--cover" in page
