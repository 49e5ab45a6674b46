"""Issue 14, item 2: schemathesis fuzzes every operation of a territory's OpenAPI
schema (/api/schema/) and the API must answer without a server error and as its
schema says (response bodies, content types), for anonymous visitors and a signed-in
learner (with a CSRF token, so joining a playlist and sending evidence are fuzzed too).

The calls go through the Django WSGI application in this process (schemathesis' WSGI
transport), so they run inside the test's rolled-back transaction and see the data
made here. Examples are bounded (API_FUZZ_EXAMPLES, default 12 per operation) to keep
`make test` quick.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
import werkzeug.test
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from learning_platform.wsgi import application
from shared_apps.accounts.models import User
from tenant_apps.catalogue import schedule as sched
from tenant_apps.playlists.models import Playlist
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, make_venue
from tests.tenant_apps.playlists.factories import make_playlist

CSRF_TOKEN = "fuzzing0csrf0token0of032characters"[:32]
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_requests() -> Iterator[None]:
    # As Django's test client does: a request's end must not close the connection
    # that holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(territory_a: Territory, user: Callable[[str], User]) -> Playlist:
    """Rows with the nullable fields empty: a free activity (no price), a playlist
    of no provider, a provider's venue and a paid activity at it."""
    provider = make_provider(territory_a, "Šiaurės pašvaistė")
    venue = make_venue(territory_a, provider, "Žirmūnų salė")
    today = datetime.date.today()  # noqa: DTZ011 - a date near today is all it needs
    make_activity(territory_a, provider, "Free robotics", is_free=True, price=None)
    make_activity(
        territory_a,
        provider,
        "Paid pottery",
        venue=venue,
        is_free=False,
        price="12.50",
        schedule_kind="sessions",
        sessions=[
            sched.Session(
                datetime.datetime.combine(
                    today + datetime.timedelta(days=3), datetime.time(15), tzinfo=datetime.UTC
                )
            )
        ],
    )
    return make_playlist(territory_a, user("anna"), "City walk")


@pytest.fixture
def learner(
    territory_a: Territory, user: Callable[[str], User], client_for: ClientFor
) -> werkzeug.test.Client:
    """A WSGI client holding a learner's session cookie for the territory's host, and
    a CSRF cookie (CSRF_TOKEN goes in the header), so writes reach the views too."""
    client = client_for(territory_a)
    client.sign_in(user("ada"))  # a session in the territory's schema
    wsgi_client = werkzeug.test.Client(application)
    for name, morsel in client.cookies.items():
        wsgi_client.set_cookie(name, morsel.value, domain=territory_a.host)
    wsgi_client.set_cookie(django_settings.CSRF_COOKIE_NAME, CSRF_TOKEN, domain=territory_a.host)
    return wsgi_client


def test_the_api_conforms_to_its_schema(
    territory_a: Territory,
    api_data: Playlist,
    wsgi_requests: None,
    learner: werkzeug.test.Client,
) -> None:
    headers = {"Host": territory_a.host}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers=headers
    )
    failures: list[str] = []
    results = list(schema.get_all_operations())
    broken = [result.err() for result in results if isinstance(result, Err)]
    assert not broken, broken  # every operation of the schema is usable
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 12, [op.label for op in operations]
    # The signed-in calls are really signed in.
    me = schema["/api/me/"]["GET"].Case()
    as_learner: dict[str, Any] = {
        "session": learner,
        "base_url": f"http://{territory_a.host}",
        "headers": {**headers, "X-CSRFToken": CSRF_TOKEN},
    }
    assert me.call(headers=headers).status_code == 403
    assert me.call(**as_learner).json()["role"] == "learner"
    join = schema["/api/playlists/{id}/join/"]["POST"].Case(path_parameters={"id": api_data.pk})
    assert join.call(**as_learner).status_code == 201  # writes pass the CSRF check

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                for who in ({"headers": headers}, as_learner):
                    response = case.call(**who)
                    case.validate_response(response, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # No invalid input exists for an operation without parameters.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as error:
                # schemathesis raises a group of failures: list every operation's.
                failures.append(f"{operation.label} ({mode.value}): {str(error)[:1500]}")
    assert not failures, "\n\n".join(failures)
