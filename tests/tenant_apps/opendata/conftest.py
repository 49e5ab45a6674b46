from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

# The catalogue's fixtures (providers of aurora and borealis, a venue, clients).
from tests.tenant_apps.catalogue.conftest import english, provider_a, provider_b, venue_a  # noqa: F401
from tests.tenant_apps.opendata.calserver import CalendarServer
from tests.tenant_apps.opendata.calserver import calendar_server as serve_calendars


@pytest.fixture
def calendar_server(settings: Any) -> Iterator[CalendarServer]:
    """A real HTTP server on loopback, which the import may reach in tests only."""
    settings.CALENDAR_ALLOW_PRIVATE_ADDRESSES = True
    with serve_calendars() as server:
        yield server
