"""The venue form's address search (issue 16, item 7): the territory's own places
offline, an open geocoder only when configured, nothing of another territory."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import geocoding
from tests.tenant_apps.catalogue.factories import make_provider, make_venue


class FakeNominatim(BaseHTTPRequestHandler):
    """A Nominatim-compatible search endpoint on loopback: records what it was asked."""

    asked: ClassVar[list[dict[str, Any]]] = []
    rows: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        FakeNominatim.asked.append(
            {"path": parts.path, "query": parse_qs(parts.query), "headers": dict(self.headers)}
        )
        body = json.dumps(FakeNominatim.rows).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def nominatim() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNominatim.asked = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/search"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def places(territory_a, territory_b, provider_a, user):
    c = territory_a.map_center
    make_venue(
        territory_a, provider_a, "Hall", address="Žalgirio gatvė 5", neighbourhood="Žirmūnai"
    )
    make_venue(
        territory_a,
        provider_a,
        "Library",
        address="Kalvarijų gatvė 12",
        neighbourhood="Žirmūnai",
        lat=c.y + 0.01,
        lon=c.x,
    )
    provider_b = make_provider(territory_b, "Borealis hub", staff=[(user("bruno"), "owner")])
    make_venue(territory_b, provider_b, "North", address="Žalgirio gatvė 99 (Borealis)")
    return provider_b


def _search(client, provider, q: str):
    return client.get(f"/studio/{provider.pk}/venues/places/", {"q": q})


def test_finds_known_addresses_and_neighbourhoods_without_accents(
    territory_a, provider_a, places, english, user
) -> None:
    alan = english(territory_a, user("alan"))
    response = _search(alan, provider_a, "zalgirio")
    assert response.status_code == 200
    labels = [row["label"] for row in response.json()["results"]]
    assert labels == ["Žalgirio gatvė 5"]  # borealis' street of the same name is not here
    rows = _search(alan, provider_a, "zirmun").json()["results"]
    assert [(row["label"], row["source"]) for row in rows] == [
        ("Žirmūnai, Aurora", "neighbourhood")
    ]
    centre = territory_a.map_center
    assert rows[0]["lat"] == pytest.approx(centre.y + 0.005, abs=1e-4)  # between its venues
    assert rows[0]["neighbourhood"] == "Žirmūnai"
    # The territory itself is in its own gazetteer.
    rows = _search(alan, provider_a, "auror").json()["results"]
    assert [row["source"] for row in rows] == ["territory"]
    # Too short, or too long.
    assert _search(alan, provider_a, "za").json()["results"] == []
    assert _search(alan, provider_a, "x" * 121).status_code == 400


def test_borealis_sees_only_its_own_places(territory_b, places, english, user) -> None:
    bruno = english(territory_b, user("bruno"))
    rows = _search(bruno, places, "zalgirio").json()["results"]
    assert [row["label"] for row in rows] == ["Žalgirio gatvė 99 (Borealis)"]
    assert _search(bruno, places, "zirmun").json()["results"] == []


def test_venues_of_unverified_providers_stay_their_own(
    territory_a, provider_a, places, english, user
) -> None:
    pending = make_provider(
        territory_a, "New club", status="pending", staff=[(user("ada"), "owner")]
    )
    make_venue(territory_a, pending, "Loft", address="Secret lane 7")
    alan = english(territory_a, user("alan"))
    assert _search(alan, provider_a, "secret lane").json()["results"] == []
    ada = english(territory_a, user("ada"))
    rows = _search(ada, pending, "secret lane").json()["results"]
    assert [row["label"] for row in rows] == ["Secret lane 7"]


def test_only_the_providers_staff_may_search(
    territory_a, provider_a, places, english, user
) -> None:
    assert _search(english(territory_a, user("ada")), provider_a, "zalgirio").status_code == 404
    # borealis' provider id asked on aurora's host: not a provider here.
    alan = english(territory_a, user("alan"))
    assert _search(alan, places, "zalgirio").status_code == 404


def test_open_geocoder_when_configured_sends_only_the_words(
    territory_a, provider_a, places, english, user, nominatim
) -> None:
    centre = territory_a.map_center
    FakeNominatim.rows = [
        {"lat": str(centre.y + 0.02), "lon": str(centre.x), "display_name": "Riverside 1"},
        # Far outside the territory: dropped even if the geocoder returns it.
        {"lat": str(centre.y + 20), "lon": str(centre.x), "display_name": "Elsewhere 1"},
        {"lat": "x", "display_name": "Broken"},
    ]
    alan = english(territory_a, user("alan"))
    # Off by default: nothing is asked.
    assert _search(alan, provider_a, "riverside").json()["results"] == []
    assert FakeNominatim.asked == []
    with override_settings(GEOCODER_URL=nominatim, GEOCODER_USER_AGENT="test-agent/1"):
        rows = _search(alan, provider_a, "riverside").json()["results"]
    assert [(row["label"], row["source"]) for row in rows] == [("Riverside 1", "geocoder")]
    (asked,) = FakeNominatim.asked
    assert asked["query"]["q"] == ["riverside"] and asked["query"]["bounded"] == ["1"]
    assert asked["headers"]["User-Agent"] == "test-agent/1"
    assert "Cookie" not in asked["headers"] and "Referer" not in asked["headers"]
    assert "alan" not in json.dumps(asked)


def test_a_geocoder_that_is_down_leaves_the_own_places(territory_a, provider_a, places) -> None:
    with (
        override_settings(GEOCODER_URL="http://127.0.0.1:9/search", GEOCODER_TIMEOUT=1),
        tenant_context(territory_a),
    ):
        found = geocoding.search_addresses("zalgirio", territory=territory_a)
    assert [place.label for place in found] == ["Žalgirio gatvė 5"]


def test_the_venue_form_offers_the_search(territory_a, provider_a, english, user) -> None:
    page = english(territory_a, user("alan")).get(f"/studio/{provider_a.pk}/venues/new/")
    html = page.content.decode()
    assert 'class="address-search"' in html and "address-search.js" in html
    assert f'data-url="/studio/{provider_a.pk}/venues/places/"' in html
