"""Hosts: the network site, territory subdomains, custom domains, unknown hosts."""

from typing import Any, cast

import pytest
from django.test import Client

from tenants.actions import change_territory_status
from tenants.models import Domain, Territory
from tenants.types import TerritoryRequest
from tests.conftest import ClientFor


def territory_of(response: Any) -> Territory | None:
    return cast(TerritoryRequest, response.wsgi_request).territory


def test_network_site_on_bare_domain(db: None) -> None:
    response = Client(HTTP_HOST="localhost:8000").get("/")
    assert response.status_code == 200
    assert territory_of(response) is None


def test_territory_on_its_subdomain(territory_a: Territory) -> None:
    response = Client(HTTP_HOST="aurora.localhost:8000").get("/")
    assert response.status_code == 200
    assert territory_of(response) == territory_a


@pytest.mark.parametrize(
    "host", ["nowhere.localhost", "aurora.example.com", "aurora.localhost.evil.org"]
)
def test_unknown_hosts_are_404(db: None, host: str) -> None:
    assert Client(HTTP_HOST=host).get("/").status_code == 404


def test_malformed_host_is_404(db: None) -> None:
    assert Client(HTTP_HOST="bad host!").get("/").status_code in (400, 404)


def test_unverified_custom_domain_never_routes(territory_a: Territory) -> None:
    domain = Domain.objects.create(
        domain="learn.aurora.test", tenant=territory_a, is_primary=False, kind=Domain.Kind.CUSTOM
    )
    assert Client(HTTP_HOST="learn.aurora.test").get("/").status_code == 404

    domain.is_verified = True
    domain.save()
    response = Client(HTTP_HOST="learn.aurora.test").get("/")
    assert response.status_code == 200
    assert territory_of(response) == territory_a


def test_archived_territory_is_gone(territory_a: Territory, client_for: ClientFor) -> None:
    change_territory_status(
        territory=territory_a, status=Territory.Status.ARCHIVED, acting_user=None
    )
    response = client_for(territory_a).get("/")
    assert response.status_code == 410
    page = response.content.decode()
    assert '<html lang="lt">' in page  # in the territory's language
    assert "Aurora" in page


def test_suspended_territory_shows_notice(territory_a: Territory, client_for: ClientFor) -> None:
    change_territory_status(
        territory=territory_a, status=Territory.Status.SUSPENDED, acting_user=None
    )
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response.status_code == 200
    assert "temporarily read-only" in response.content.decode()


def test_django_admin_only_on_network_site(territory_a: Territory, client_for: ClientFor) -> None:
    assert client_for(territory_a).get("/admin/").status_code == 404
    assert Client(HTTP_HOST="localhost").get("/admin/").status_code == 302  # to the admin login


def test_route_cache_follows_changes(territory_a: Territory, client_for: ClientFor) -> None:
    client = client_for(territory_a)
    assert client.get("/").status_code == 200  # now cached
    change_territory_status(
        territory=territory_a, status=Territory.Status.ARCHIVED, acting_user=None
    )
    assert client.get("/").status_code == 410
    Domain.objects.filter(tenant=territory_a).delete()
    assert client.get("/").status_code == 404


def test_route_is_memoized_per_process_for_a_few_seconds(
    territory_a: Territory, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tenants import middleware

    client = client_for(territory_a)
    assert client.get("/").status_code == 200
    looked_up: list[str] = []
    real = middleware.territory_for_host

    def counting(hostname: str) -> Territory | None:
        looked_up.append(hostname)
        return real(hostname)

    monkeypatch.setattr(middleware, "territory_for_host", counting)
    assert client.get("/").status_code == 200
    assert looked_up == []  # neither the database nor the shared cache
    for host, (_expires, territory) in list(middleware._host_memo.items()):
        middleware._host_memo[host] = (0.0, territory)  # HOST_MEMO_SECONDS later
    assert client.get("/").status_code == 200
    assert looked_up == [territory_a.host]
