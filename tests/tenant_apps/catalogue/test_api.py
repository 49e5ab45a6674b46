from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.demand.actions import flush_search_log
from tenant_apps.demand.models import SearchEvent
from tests.tenant_apps.catalogue.factories import make_activity, make_provider


def test_activities_api_filters_and_paginates(territory_a, provider_a, venue_a, client_for):
    for i in range(3):
        make_activity(
            territory_a, provider_a, f"Muzikos studija {i}", interests=["music"], venue=venue_a
        )
    make_activity(territory_a, provider_a, "Robotikos būrelis", interests=["robotics"])
    make_activity(territory_a, provider_a, "Draft music", interests=["music"], status="draft")
    client = client_for(territory_a)
    online = client.get("/api/activities/?format=online")
    assert online.status_code == 200 and online.json()["count"] == 0
    body = client.get("/api/activities/?interest=music&page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2") or "page=2" in body["next"]
    first = body["results"][0]
    assert first["interests"] == ["music"]
    assert first["provider"]["slug"] == provider_a.slug
    assert first["venue"]["name"] == "Žirmūnų salė"
    assert first["currency"] == "EUR"
    assert first["url"].endswith(f"/activities/{first['id']}/")
    assert "description" not in first  # the list is light; the detail has it
    # Searches are queued and written in batches after the responses.
    assert flush_search_log() == 2
    with tenant_context(territory_a):
        assert SearchEvent.objects.filter(source="api").count() == 2


def test_activity_detail_api_hides_unpublished(territory_a, provider_a, client_for):
    public = make_activity(territory_a, provider_a, "Public", description="<p>Hi</p>")
    draft = make_activity(territory_a, provider_a, "Draft", status=Activity.Status.DRAFT)
    client = client_for(territory_a)
    body = client.get(f"/api/activities/{public.pk}/").json()
    assert body["description"] == "<p>Hi</p>"
    assert body["next_date"]
    assert client.get(f"/api/activities/{draft.pk}/").status_code == 404


def test_malformed_filters_are_400_with_messages(territory_a, provider_a, client_for):
    client = client_for(territory_a)
    for query, field in [
        ("age=old", "age"),
        ("near=north", "near"),
        ("date_from=2026-02-30", "date_from"),
        ("radius=3", "radius"),
        ("sort=cheapest", "sort"),
        ("interest=unknown", "interest"),
        ("page=zero", "page"),
        ("page_size=1000", "page_size"),
        ("date_from=2026-05-01&date_to=2026-04-01", "date_to"),
    ]:
        response = client.get(f"/api/activities/?{query}")
        assert response.status_code == 400, query
        assert field in response.json(), (query, response.json())
    for query in [
        "bbox=1,2,3&zoom=10",
        "bbox=a,b,c,d&zoom=3",
        "bbox=10,50,11,51",
        "bbox=10,50,11,51&zoom=99",
    ]:
        assert client.get(f"/api/map/?{query}").status_code == 400, query


def test_providers_venues_interests_api(territory_a, provider_a, venue_a, client_for):
    make_provider(territory_a, "Pending org", status=Provider.Status.PENDING)
    client = client_for(territory_a)
    providers = client.get("/api/providers/").json()
    assert [p["slug"] for p in providers["results"]] == [provider_a.slug]
    assert client.get("/api/providers/pending-org/").status_code == 404
    assert client.get(f"/api/providers/{provider_a.slug}/").json()["name"] == provider_a.name
    assert client.get("/api/providers/?q=zirmunu").json()["count"] == 1  # accents ignored
    venues = client.get("/api/venues/").json()["results"]
    assert venues[0]["accessibility"] == ["step_free"]
    assert round(venues[0]["lat"], 4) == 54.7012
    interests = client.get("/api/interests/").json()
    assert {"arts", "robotics", "wellbeing"} <= {i["slug"] for i in interests}
    assert next(i for i in interests if i["slug"] == "music")["names"]["lt"] == "Muzika"


def test_openapi_schema_and_docs_are_served_locally(territory_a, client_for):
    client = client_for(territory_a)
    schema = client.get("/api/schema/").content.decode()
    for path in [
        "/api/activities/",
        "/api/map/",
        "/api/providers/",
        "/api/venues/",
        "/api/interests/",
    ]:
        assert path in schema
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs


def test_api_isolation_between_territories(
    territory_a, territory_b, provider_a, provider_b, client_for
):
    a = make_activity(territory_a, provider_a, "Aurora only")
    b = make_activity(territory_b, provider_b, "Borealis only")
    client_a = client_for(territory_a)
    assert [r["title"] for r in client_a.get("/api/activities/").json()["results"]] == [
        "Aurora only"
    ]
    if a.pk != b.pk:
        assert client_a.get(f"/api/activities/{b.pk}/").status_code == 404
    assert client_a.get(f"/api/providers/{provider_b.slug}/").status_code == 404
    assert client_for(territory_b).get(f"/activities/{a.pk}/").status_code in (404, 200)
    with tenant_context(territory_b):
        assert not Activity.objects.filter(title="Aurora only").exists()


def test_activities_api_query_count_is_constant(territory_a, provider_a, venue_a, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_for(n: int) -> int:
        for i in range(n):
            make_activity(territory_a, provider_a, f"Muzika {i}", venue=venue_a)
        client = client_for(territory_a)
        client.get("/api/activities/?q=muzika")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/activities/?q=muzika").status_code == 200
        return len(queries)

    assert count_for(2) == count_for(15)
