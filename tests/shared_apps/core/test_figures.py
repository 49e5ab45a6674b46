"""Live figures: counted now by each feature, on the admin dashboard and the console."""

import ast
from collections.abc import Callable
from pathlib import Path

from django_tenants.utils import schema_context

from shared_apps.accounts.models import User
from shared_apps.core.figures import live_figures
from tenant_apps.demand.models import SearchEvent
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.tenant_apps.catalogue.factories import make_activity, make_provider

ROOT = Path(__file__).resolve().parents[3]
KEYS = [
    "published_activities",
    "verified_providers",
    "learners",
    "searches",
    "empty_searches",
    "badges_awarded",
    "playlist_completions",
]


def values(territory: Territory) -> dict[str, int]:
    return {f.key: f.value for f in live_figures(territory)}


def test_every_figure_is_live_and_scoped_to_its_territory(
    territory_a: Territory, territory_b: Territory
) -> None:
    before = values(territory_a)
    assert list(before) == KEYS
    provider = make_provider(territory_a)
    make_activity(territory_a, provider)
    with schema_context(territory_a.schema_name):
        SearchEvent.objects.create(terms="robot", result_count=0)
    after = values(territory_a)
    assert after["published_activities"] == before["published_activities"] + 1
    assert after["verified_providers"] == before["verified_providers"] + 1
    assert after["searches"] == before["searches"] + 1
    assert after["empty_searches"] == before["empty_searches"] + 1
    assert after["learners"] == 1  # ada
    assert values(territory_b)["published_activities"] == 0


def test_each_figure_costs_one_query(territory_a: Territory, django_assert_max_num_queries) -> None:
    # One COUNT per figure, plus the schema switches.
    with django_assert_max_num_queries(len(KEYS) + 3):
        live_figures(territory_a)


def test_the_admin_dashboard_shows_live_figures(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    django_assert_max_num_queries,
) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(user("anna"))
    client.get("/manage/")
    with django_assert_max_num_queries(20):
        page = client.get("/manage/").content.decode()
    assert 'data-figure="published_activities"><strong>0</strong>' in page
    make_activity(territory_a, make_provider(territory_a))
    page = client.get("/manage/").content.decode()
    assert 'data-figure="published_activities"><strong>1</strong>' in page
    assert "Playlists completed" in page


def test_the_dashboard_is_not_for_another_territorys_admin(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("bruno"))
    assert client.get("/manage/").status_code in (302, 403, 404)


def test_the_console_shows_live_figures_of_its_territories_only(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    make_activity(territory_a, make_provider(territory_a))
    cora = HostClient("localhost")
    cora.cookies["django_language"] = "en"
    cora.sign_in(user("cora"))
    page = cora.get(f"/console/t/{territory_a.slug}/").content.decode()
    assert 'data-figure="published_activities"><strong>1</strong>' in page
    assert cora.get(f"/console/t/{territory_b.slug}/").status_code == 404
    api = cora.get(f"/console/api/territories/{territory_a.slug}/").json()
    assert api["live"]["published_activities"] == 1
    assert cora.get(f"/console/api/territories/{territory_b.slug}/").status_code == 404


def test_the_console_reaches_territory_data_only_through_feature_interfaces() -> None:
    for path in (ROOT / "shared_apps" / "console").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                assert not (parts[0] == "tenant_apps" and parts[-1] == "models"), (
                    f"{path.name} imports {node.module}"
                )
