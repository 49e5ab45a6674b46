from django.test import Client

from tenants.models import Territory
from tests.conftest import ClientFor


def test_territory_profile(territory_a: Territory, client_for: ClientFor) -> None:
    body = client_for(territory_a).get("/api/territory/").json()
    assert body["slug"] == "aurora"
    assert body["languages"] == ["lt", "en"]
    assert body["map_center"] == {"lat": 54.69, "lon": 25.28}


def test_api_schema_is_published(territory_a: Territory, client_for: ClientFor) -> None:
    response = client_for(territory_a).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/territory/" in response.content


def test_api_does_not_exist_on_network_host(db: None) -> None:
    assert Client(HTTP_HOST="localhost").get("/api/territory/").status_code == 404
