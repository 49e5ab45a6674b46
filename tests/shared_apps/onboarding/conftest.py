from collections.abc import Callable

import pytest

from tests.conftest import HostClient


@pytest.fixture
def network_client_factory() -> Callable[[], HostClient]:
    """Another browser on the network site (its own cookies)."""
    return lambda: HostClient("localhost")
