"""Error reports carry the territory, never personal data."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from shared_apps.accounts.models import User
from shared_apps.ops.sentry import init_sentry
from tenant_apps.home import views as home_views
from tenants.models import Territory
from tests.conftest import ClientFor


class CapturingTransport(Transport):
    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        for item in envelope.items:
            if item.type == "event" and item.payload.json is not None:
                self.events.append(item.payload.json)


@pytest.fixture
def transport() -> Iterator[CapturingTransport]:
    capturing = CapturingTransport()
    init_sentry("http://public@127.0.0.1:9/1", environment="test", transport=capturing)
    yield capturing
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # back to a disabled client


def test_error_report_is_scrubbed_and_tagged(
    transport: CapturingTransport,
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_sections() -> list[object]:
        raise ValueError("cannot render home for ada@example.org")

    monkeypatch.setattr(home_views, "registered_sections", broken_sections)
    client = client_for(territory_a, raise_request_exception=False)
    client.sign_in(user("ada"))
    # Built apart from the call line: Sentry's source context includes this test's lines.
    query, ip = {"q": "ada" + "@example.org"}, ".".join(["10", "1", "2", "3"])
    response = client.get(
        "/", query, HTTP_X_REAL_IP=ip, REMOTE_ADDR=ip, HTTP_X_REQUEST_ID="feedc0de12345678"
    )
    assert response.status_code == 500
    sentry_sdk.flush()

    assert len(transport.events) == 1
    event = transport.events[0]
    text = repr(event)
    assert "ada@example.org" not in text
    assert "sessionid" not in text
    assert "10.1.2.3" not in text
    assert "user" not in event
    assert event["tags"]["territory"] == "aurora"
    assert event["tags"]["request_id"] == "feedc0de12345678"  # joins it to the JSON logs
    assert event["exception"]["values"][0]["value"] == "cannot render home for [redacted]"


def test_no_dsn_means_no_sentry() -> None:
    assert init_sentry("", environment="test") is False


def test_ip_addresses_in_messages_are_scrubbed() -> None:
    from shared_apps.ops.sentry import scrub_event

    ip4, ip6 = ".".join(["192", "0", "2", "44"]), ":".join(["2001", "db8", "0", "0", "1"])
    event: Any = {"message": f"refused {ip4} and {ip6}, version 2.75.0 kept"}
    scrubbed = scrub_event(event)
    assert scrubbed is not None
    assert scrubbed["message"] == "refused [redacted] and [redacted], version 2.75.0 kept"
