"""The coordinator console: scoped strictly to the coordinator's territories."""

from collections.abc import Callable

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Coordinator, User
from shared_apps.audit.models import AuditEntry
from shared_apps.console.actions import refresh_territory_figures
from shared_apps.console.models import TerritoryFigures
from tenant_apps.demand.models import SearchEvent
from tenants.models import Domain, Territory
from tests.conftest import HostClient
from tests.tenant_apps.catalogue.factories import make_activity, make_provider


def network_as(user: User) -> HostClient:
    client = HostClient("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def add_territories(count: int) -> list[Territory]:
    """Rows without schemas, each with a figures snapshot: enough for a listing."""
    made = []
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
        TerritoryFigures.objects.create(territory=territory, learners=i)
        made.append(territory)
    return made


def test_figures_are_counted_in_each_schema(territory_a: Territory, territory_b: Territory) -> None:
    provider = make_provider(territory_a)
    make_activity(territory_a, provider)
    make_activity(territory_a, provider, "Choir")
    with schema_context(territory_a.schema_name):
        SearchEvent.objects.create(terms="robot", result_count=2)
        SearchEvent.objects.create(terms="xyz", result_count=0)
    refresh_territory_figures([territory_a, territory_b])
    a = TerritoryFigures.objects.get(territory=territory_a)
    assert (a.verified_providers, a.published_activities, a.learners) == (1, 2, 1)
    assert (a.searches, a.empty_searches, a.searches_previous) == (2, 1, 0)
    b = TerritoryFigures.objects.get(territory=territory_b)
    assert (b.verified_providers, b.published_activities) == (0, 0)


def test_coordinator_sees_only_assigned_territories(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    refresh_territory_figures([territory_a, territory_b])
    client = network_as(user("cora"))
    page = client.get("/console/").content.decode()
    assert "Aurora" in page and "Borealis" not in page
    csv = client.get("/console/?format=csv").content.decode()
    assert "aurora" in csv and "borealis" not in csv
    assert client.get("/console/t/borealis/").status_code == 404
    assert client.get("/console/t/aurora/").status_code == 200
    staff_page = network_as(user("pat")).get("/console/").content.decode()
    assert "Aurora" in staff_page and "Borealis" in staff_page


def test_all_territories_flag_shows_everything(user: Callable[[str], User]) -> None:
    Coordinator.objects.filter(user=user("cora")).update(all_territories=True)
    page = network_as(user("cora")).get("/console/").content.decode()
    assert "Aurora" in page and "Borealis" in page


def test_others_are_refused(user: Callable[[str], User], territory_a: Territory) -> None:
    assert network_as(user("anna")).get("/console/").status_code == 403
    assert HostClient("localhost").get("/console/").status_code == 302
    # Never on a territory host.
    client = HostClient(territory_a.host, territory_a)
    client.sign_in(user("anna"))
    assert client.get("/console/").status_code == 404


def test_console_sorts_and_does_not_grow_queries(db: None, user: Callable[[str], User]) -> None:
    client = network_as(user("pat"))
    add_territories(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/console/?sort=-learners")
    Territory.objects.filter(slug__startswith="town-").delete()
    towns = add_territories(15)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/console/?sort=-learners").content.decode()
    assert len(many) == len(few)
    # Console query: session, user, coordinator check, the one listing query.
    listing = [q for q in many.captured_queries if "console_territoryfigures" in q["sql"]]
    assert len(listing) == 1
    assert page.index(towns[14].name) < page.index(towns[13].name)
    ascending = client.get("/console/?sort=learners").content.decode()
    assert ascending.index("Town 13") < ascending.index("Town 14")


def test_lifecycle_needs_a_reason_and_is_audited(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    client = network_as(user("cora"))
    refused = client.post("/console/t/aurora/lifecycle/", {"transition": "suspend", "reason": ""})
    assert refused.status_code == 400
    territory_a.refresh_from_db()
    assert territory_a.status == Territory.Status.ACTIVE
    done = client.post(
        "/console/t/aurora/lifecycle/", {"transition": "suspend", "reason": "Unpaid"}
    )
    assert done.status_code == 302
    territory_a.refresh_from_db()
    assert territory_a.status == Territory.Status.SUSPENDED
    entry = AuditEntry.objects.filter(territory=territory_a).latest("created_at")
    assert entry.action == "territory.status_changed"
    assert entry.actor == user("cora") and entry.details["reason"] == "Unpaid"
    # Not possible from this status: approve is only for pilots.
    assert (
        client.post(
            "/console/t/aurora/lifecycle/", {"transition": "approve", "reason": "x"}
        ).status_code
        == 400
    )
    # The other territory: not found, nothing changed.
    other = client.post("/console/t/borealis/lifecycle/", {"transition": "suspend", "reason": "x"})
    assert other.status_code == 404
    territory_b.refresh_from_db()
    assert territory_b.status == Territory.Status.ACTIVE


@pytest.mark.parametrize(
    ("start", "transition", "end"),
    [
        (Territory.Status.TRIAL, "approve", Territory.Status.ACTIVE),
        (Territory.Status.SUSPENDED, "reactivate", Territory.Status.ACTIVE),
        (Territory.Status.ACTIVE, "archive", Territory.Status.ARCHIVED),
    ],
)
def test_lifecycle_transitions(
    territory_a: Territory, user: Callable[[str], User], start: str, transition: str, end: str
) -> None:
    Territory.objects.filter(pk=territory_a.pk).update(status=start)
    response = network_as(user("cora")).post(
        "/console/t/aurora/lifecycle/", {"transition": transition, "reason": "Decided"}
    )
    assert response.status_code == 302
    territory_a.refresh_from_db()
    assert territory_a.status == end


def test_figures_refresh_by_command_and_task(territory_a: Territory) -> None:
    from io import StringIO

    from django.core.management import call_command

    from shared_apps.console.tasks import refresh_territory_figures as task

    out = StringIO()
    call_command("refresh_territory_figures", stdout=out)
    assert "refreshed figures of" in out.getvalue()
    assert TerritoryFigures.objects.filter(territory=territory_a).exists()
    assert task() >= 2


def test_api_is_scoped_like_the_pages(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    refresh_territory_figures([territory_a, territory_b])
    cora = network_as(user("cora"))
    rows = cora.get("/console/api/territories/").json()
    assert [row["slug"] for row in rows] == ["aurora"]
    assert rows[0]["figures"]["learners"] == 1
    assert cora.get("/console/api/territories/aurora/").status_code == 200
    assert cora.get("/console/api/territories/borealis/").status_code == 404
    assert network_as(user("anna")).get("/console/api/territories/").status_code == 403
    assert HostClient("localhost").get("/console/api/territories/").status_code == 403
    staff = network_as(user("pat")).get("/console/api/territories/").json()
    assert {row["slug"] for row in staff} >= {"aurora", "borealis"}


def test_console_is_in_the_network_menu_of_coordinators_only(
    db: None, user: Callable[[str], User]
) -> None:
    from tests.conftest import HostClient

    def menu_of(name: str | None) -> str:
        client = HostClient("localhost")
        client.cookies["django_language"] = "en"
        if name:
            client.sign_in(user(name))
        return client.get("/").content.decode()

    assert 'href="/console/"' in menu_of("cora")  # coordinator of aurora
    assert 'href="/console/"' in menu_of("pat")  # platform staff
    assert 'href="/console/"' not in menu_of("ada")
    assert 'href="/console/"' not in menu_of(None)
