"""One input rule at the edge (issue 14, item 2): a NUL character anywhere in a query
string, a form or the path is a 400 (JSON in the API, the translated 400 page
elsewhere), never a 500."""

import pytest

from tests.conftest import HostClient

NUL = "a%00b"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/providers/?q={NUL}",
        f"/api/venues/?provider={NUL}",
        f"/api/playlists/?interest={NUL}",
        f"/api/activities/?q={NUL}",
        f"/api/activities/?{NUL}=1",
        f"/api/providers/{NUL}/",
    ],
)
def test_nul_in_the_api_is_a_json_400(territory_a, client_for, path):
    response = client_for(territory_a).get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize(
    "path", [f"/playlists/?interest={NUL}", f"/activities/?q={NUL}", f"/providers/{NUL}/"]
)
def test_nul_on_a_page_is_the_400_page(territory_a, client_for, path):
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    response = client.get(path)
    assert response.status_code == 400
    assert "Bad request" in response.text


def test_nul_in_a_form_is_a_400(territory_a, client_for):
    response = client_for(territory_a).post(
        "/accounts/login/", {"login": "ada\x00@example.org", "password": "x"}
    )
    assert response.status_code == 400


def test_nul_in_the_admin_search_is_a_400(user):
    staff = HostClient("localhost")
    staff.force_login(user("pat"))
    assert staff.get("/admin/accounts/user/?q=ada").status_code == 200
    assert staff.get(f"/admin/accounts/user/?q={NUL}").status_code == 400


def test_ordinary_input_still_passes(territory_a, client_for):
    client = client_for(territory_a)
    assert client.get("/api/providers/?q=ab").status_code == 200
    assert client.get("/api/playlists/?interest=arts").status_code == 200
