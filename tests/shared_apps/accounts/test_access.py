"""Tenant isolation for people: roles, staff pages, sessions and the API."""

from collections.abc import Callable

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership, User
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient


@pytest.mark.parametrize("path", ["/manage/", "/manage/settings/", "/manage/members/"])
def test_visitor_is_sent_to_sign_in(
    territory_a: Territory, client_for: ClientFor, path: str
) -> None:
    response = client_for(territory_a).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("name", "path", "status"),
    [
        ("ada", "/manage/", 403),
        ("alan", "/manage/", 200),
        ("alan", "/manage/settings/", 403),
        ("anna", "/manage/", 200),
        ("anna", "/manage/settings/", 200),
        ("anna", "/manage/members/", 200),
    ],
)
def test_staff_pages_by_role(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    name: str,
    path: str,
    status: int,
) -> None:
    client = client_for(territory_a)
    client.sign_in(user(name))
    assert client.get(path).status_code == status


def test_admin_of_a_is_refused_on_b_staff_pages(
    territory_b: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    anna = user("anna")
    client = client_for(territory_b)
    # Anna signs in on B the normal way: she becomes a learner there, nothing more.
    response = client.post(
        "/accounts/login/", {"login": anna.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=anna, territory=territory_b).role == "learner"
    for path in ["/manage/", "/manage/settings/", "/manage/members/"]:
        assert client.get(path).status_code == 403
    assert client.post("/manage/settings/", {"name": "Hijacked"}).status_code == 403
    territory_b.refresh_from_db()
    assert territory_b.name == "Borealis"


def test_session_of_a_is_not_valid_on_b(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    client_a = client_for(territory_a)
    client_a.sign_in(user("anna"))
    assert client_a.get("/manage/").status_code == 200
    session_cookie = client_a.cookies["sessionid"].value

    client_b = client_for(territory_b)
    client_b.cookies["sessionid"] = session_cookie
    response = client_b.get("/manage/")
    assert response.status_code == 302  # anonymous on B: to B's sign-in
    response = client_b.get("/api/me/")
    assert response.status_code == 403


def test_session_cookie_is_host_only(territory_a: Territory, user: Callable[[str], User]) -> None:
    client = HostClient(territory_a.host, territory_a)
    response = client.post(
        "/accounts/login/",
        {"login": "anna@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["domain"] == ""
    assert cookie["httponly"]


def test_login_on_a_territory_creates_learner_membership_once(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    bea = user("bea")
    assert not Membership.objects.filter(user=bea, territory=territory_a).exists()
    client = client_for(territory_a)
    client.post(
        "/accounts/login/", {"login": bea.email, "password": "correct horse battery staple"}
    )
    client.post("/accounts/logout/")
    client.post(
        "/accounts/login/", {"login": bea.email, "password": "correct horse battery staple"}
    )
    assert Membership.objects.filter(user=bea, territory=territory_a).count() == 1
    assert Membership.objects.get(user=bea, territory=territory_a).role == "learner"


def test_removed_membership_ends_the_session(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("alan"))
    assert client.get("/manage/").status_code == 200
    Membership.objects.filter(user=user("alan"), territory=territory_a).delete()
    assert client.get("/manage/").status_code == 302


def test_role_change_of_other_territory_member_is_404(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    membership: Callable[[str, Territory], Membership],
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("anna"))
    bea_on_b = membership("bea", territory_b)
    response = client.post(f"/manage/members/{bea_on_b.pk}/role/", {"role": "territory_admin"})
    assert response.status_code == 404
    bea_on_b.refresh_from_db()
    assert bea_on_b.role == "learner"


def test_api_me_needs_membership_here(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("ada"))
    assert client.get("/api/me/").json() == {"role": "learner", "territory": "aurora"}
    assert client_for(territory_b).get("/api/me/").status_code == 403


def test_network_host_has_no_territory_pages(db: None) -> None:
    client = Client(HTTP_HOST="localhost")
    assert client.get("/manage/").status_code == 404


def test_force_login_session_lives_in_territory_schema(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    from django.contrib.sessions.models import Session

    client = client_for(territory_a)
    client.sign_in(user("ada"))
    key = client.cookies["sessionid"].value
    with tenant_context(territory_a):
        assert Session.objects.filter(session_key=key).exists()
    assert not Session.objects.filter(session_key=key).exists()  # not in public
