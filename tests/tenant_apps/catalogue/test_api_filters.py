"""Issue 18, A3: the providers' and venues' API filters declared with django-filter
behave as the hand-written ones did (same parameters, same answers, same 400s)."""

from __future__ import annotations

from tenant_apps.catalogue.models import Provider
from tests.tenant_apps.catalogue.factories import make_provider, make_venue


def test_provider_filters(territory_a, provider_a, client_for):
    library = make_provider(territory_a, "Šeškinės biblioteka", kind=Provider.Kind.LIBRARY)
    make_provider(territory_a, "Pending library", kind="library", status="pending")
    client = client_for(territory_a)

    def slugs(query: str) -> list[str]:
        response = client.get(f"/api/providers/?{query}")
        assert response.status_code == 200, response.content
        return [p["slug"] for p in response.json()["results"]]

    assert slugs("") == [library.slug, provider_a.slug]
    assert slugs("q=seskines") == [library.slug]  # accents ignored
    assert slugs("q=%20%20") == [library.slug, provider_a.slug]  # blank: no filter
    assert slugs("q=" + "x" * 150) == []  # long: cut to 100 characters, not refused
    assert slugs("kind=library") == [library.slug]
    assert slugs("kind=") == [library.slug, provider_a.slug]
    assert slugs("kind=library&q=zirm") == []
    response = client.get("/api/providers/?kind=castle")
    assert response.status_code == 400
    assert response.json() == {"kind": ["Unknown kind."]}


def test_venue_filter_by_provider(territory_a, territory_b, provider_a, venue_a, client_for):
    other = make_provider(territory_a, "Kita organizacija")
    make_venue(territory_a, other, "Kita salė")
    client = client_for(territory_a)

    def names(query: str) -> list[str]:
        return [v["name"] for v in client.get(f"/api/venues/?{query}").json()["results"]]

    assert names(f"provider={provider_a.slug}") == ["Žirmūnų salė"]
    assert names("provider=kita-organizacija") == ["Kita salė"]
    assert names("provider=nobody") == []
    assert sorted(names("")) == ["Kita salė", "Žirmūnų salė"]
    # The other territory's host knows none of them.
    assert (
        client_for(territory_b).get(f"/api/venues/?provider={provider_a.slug}").json()["results"]
        == []
    )
