from collections.abc import Callable

import pytest

from shared_apps.accounts.models import User
from tenant_apps.catalogue.models import Provider, ProviderStaff, Venue
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.tenant_apps.catalogue.factories import make_provider, make_venue


@pytest.fixture
def provider_a(territory_a: Territory, user: Callable[[str], User]) -> Provider:
    """A verified provider of aurora; alan is its owner."""
    return make_provider(
        territory_a,
        "Žirmūnų jaunimo centras",
        staff=[(user("alan"), ProviderStaff.Role.OWNER)],
        email="info@example.org",
    )


@pytest.fixture
def venue_a(territory_a: Territory, provider_a: Provider) -> Venue:
    return make_venue(
        territory_a, provider_a, "Žirmūnų salė", lat=54.7012, lon=25.3003, step_free=True
    )


@pytest.fixture
def provider_b(territory_b: Territory, user: Callable[[str], User]) -> Provider:
    """A verified provider of borealis; boris is its owner."""
    return make_provider(
        territory_b, "Mladinski center Šiška", staff=[(user("boris"), ProviderStaff.Role.OWNER)]
    )


@pytest.fixture
def english(client_for: ClientFor) -> Callable[..., HostClient]:
    """A client for a territory, in English, optionally signed in."""

    def make(territory: Territory, user: User | None = None) -> HostClient:
        client = client_for(territory)
        client.cookies["django_language"] = "en"
        if user is not None:
            client.sign_in(user)
        return client

    return make
