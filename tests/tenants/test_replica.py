"""Anonymous public reads from a real hot standby (tenants/replica.py, issue #18 B).

The standby is a ``pg_basebackup -R`` of the test cluster taken once per session
(tests/servers.py Standby), streaming from it on its own port. The "replica" alias is
added to this process's connections as settings add it from REPLICA_DATABASE_URL.
Rows the replica must see are committed (these tests run outside the rolled-back
test transaction) and deleted at the end.

Which server answered is read two ways: the queries each connection ran (captured),
and data: with replay paused, a row just committed on the primary is only visible
to reads served by the primary.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from tenant_apps.catalogue.models import Provider
from tenants import replica
from tenants.models import Territory
from tests.conftest import HostClient, email_of
from tests.servers import (
    ROOT,
    Standby,
    port,
    primary_port,
    python_env,
    running,
    wait_until,
)
from tests.tenant_apps.catalogue.factories import make_provider

PROVIDERS = "/api/providers/"
PREFIX = "Replica test "


@pytest.fixture(scope="session")
def standby(django_db_setup: None, django_db_blocker: Any) -> Iterator[Standby]:
    """One hot standby of the test cluster per session (a basebackup takes ~1 s here)."""
    with django_db_blocker.unblock():
        server = Standby(primary_port(), port("pg_replica"))
        server.create()
        server.start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def replica_alias(standby: Standby, django_db_blocker: Any) -> Iterator[Standby]:
    """The "replica" alias on the standby, committed writes allowed; cleaned after."""
    config = {
        **connections["default"].settings_dict,
        "PORT": str(standby.port),
        # Reconnect at each request, so a stopped standby is seen at the next one.
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 1},
        "TEST": {"MIRROR": "default"},
    }
    config.pop("SCHEMA", None)
    settings.DATABASES[replica.REPLICA] = config
    # A copy of the default's complete settings: nothing left for Django to fill in.
    connections.settings[replica.REPLICA] = config
    replica.forget_replica_health()
    try:
        with django_db_blocker.unblock():
            # Earlier tests of the session may have written a lot (schemas provisioned).
            assert wait_until(standby.caught_up, seconds=30)
            yield standby
            if standby.streaming():
                standby.resume_replay()  # a failed lag test may have left it paused
            for territory in Territory.objects.filter(slug__in=["aurora", "borealis"]):
                with tenant_context(territory):
                    Provider.objects.filter(name__startswith=PREFIX).delete()
    finally:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        # (Django keeps one dict for both.)
        connections.settings.pop(replica.REPLICA, None)
        settings.DATABASES.pop(replica.REPLICA, None)
        replica.forget_replica_health()


def territory(slug: str) -> Territory:
    return Territory.objects.get(slug=slug)


def anonymous(slug: str) -> HostClient:
    return HostClient(territory(slug).host, territory(slug))


def committed_provider(slug: str, name: str) -> Provider:
    return make_provider(territory(slug), PREFIX + name)


def provider_names(response: Any) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row["name"] for row in response.json()["results"]}


def get_counting(client: HostClient, path: str, **extra: Any) -> tuple[Any, int, int]:
    """The response, and how many queries the replica and the primary ran for it."""
    with (
        CaptureQueriesContext(connections[replica.REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(path, **extra)
    return response, len(page_queries(on_replica)), len(page_queries(on_primary))


def page_queries(captured: CaptureQueriesContext) -> list[dict[str, Any]]:
    """The page's own reads: without the replica health check's queries (on both
    servers) and django-tenants' SET search_path (issued for any cursor)."""
    skip = ("pg_current_wal_lsn", "pg_is_in_recovery", "SET search_path")
    return [q for q in captured.captured_queries if not any(s in q["sql"] for s in skip)]


def replica_queries_touch(client: HostClient, path: str, table: str) -> tuple[bool, bool]:
    with (
        CaptureQueriesContext(connections[replica.REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(path)
    assert response.status_code == 200
    return (
        any(table in q["sql"] for q in on_replica.captured_queries),
        any(table in q["sql"] for q in on_primary.captured_queries),
    )


def test_anonymous_public_reads_go_to_the_replica_in_the_territory_schema(
    replica_alias: Standby,
) -> None:
    committed_provider("aurora", "Aurora")
    committed_provider("borealis", "Borealis")
    assert wait_until(replica_alias.caught_up, seconds=10)

    on_replica, on_primary = replica_queries_touch(anonymous("aurora"), PROVIDERS, "provider")
    assert on_replica and not on_primary
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica_head:
        assert anonymous("aurora").head(PROVIDERS).status_code == 200
    assert page_queries(on_replica_head)
    # The replica's connection was set to the territory's schema: aurora's rows only.
    names = provider_names(anonymous("aurora").get(PROVIDERS))
    assert PREFIX + "Aurora" in names and PREFIX + "Borealis" not in names
    names = provider_names(anonymous("borealis").get(PROVIDERS))
    assert PREFIX + "Borealis" in names and PREFIX + "Aurora" not in names
    # ...and that connection is the standby's (a server in recovery), in that schema.
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    # A public HTML page too; reset to the public schema once the response is done.
    on_replica, _ = replica_queries_touch(anonymous("aurora"), "/providers/", "provider")
    assert on_replica
    assert getattr(connections[replica.REPLICA], "schema_name", None) == "public"


def test_signed_in_unsafe_and_private_requests_stay_on_the_primary(
    replica_alias: Standby,
) -> None:
    aurora = territory("aurora")
    signed_in = HostClient(aurora.host, aurora)
    signed_in.sign_in(User.objects.get(email=email_of("ada")))
    try:
        response, replica_count, _ = get_counting(signed_in, PROVIDERS)
        assert response.status_code == 200 and replica_count == 0
    finally:
        with tenant_context(aurora):
            Session.objects.filter(session_key=signed_in.session.session_key).delete()

    # A view not listed in REPLICA_READ_VIEWS (the visitor's own saved list).
    response, replica_count, _ = get_counting(anonymous("aurora"), "/saved/")
    assert replica_count == 0
    # An Authorization header is someone signed in, whatever the scheme.
    response, replica_count, _ = get_counting(
        anonymous("aurora"), PROVIDERS, HTTP_AUTHORIZATION="Bearer x"
    )
    assert response.status_code in (200, 401, 403) and replica_count == 0

    # An unsafe request pins the browser to the primary for REPLICA_PIN_SECONDS.
    browser = anonymous("aurora")
    response = browser.post("/accounts/login/", {"login": "nobody@example.org", "password": "x"})
    pin = response.cookies[replica.PIN_COOKIE]
    assert pin["max-age"] == settings.REPLICA_PIN_SECONDS and pin["httponly"]
    response, replica_count, _ = get_counting(browser, PROVIDERS)
    assert response.status_code == 200 and replica_count == 0
    # Once the cookie has expired, the same browser reads from the replica again.
    del browser.cookies[replica.PIN_COOKIE]
    response, replica_count, _ = get_counting(browser, PROVIDERS)
    assert response.status_code == 200 and replica_count > 0
    # An anonymous read that wrote nothing sets no cookie.
    assert replica.PIN_COOKIE not in response.cookies


def test_the_replica_follows_the_schema_and_a_write_ends_replica_reads(
    replica_alias: Standby,
) -> None:
    router = replica.ReplicaRouter()
    state = replica.RequestState(allowed=True)
    token = replica._state.set(state)
    try:
        # A view entering another schema: the replica connection follows it.
        borealis = territory("borealis")
        with (
            tenant_context(borealis),
            CaptureQueriesContext(connections[replica.REPLICA]) as on_replica,
        ):
            list(Provider.objects.all()[:1])
        assert state.used_replica
        assert on_replica.captured_queries[0]["sql"].startswith(
            f'SET search_path = "{borealis.schema_name}"'
        )
        assert router.db_for_read(Provider) == replica.REPLICA
        assert router.db_for_write(Provider) == replica.PRIMARY
        assert router.db_for_read(Provider) == replica.PRIMARY
    finally:
        replica._state.reset(token)
    # Outside a request (commands, workers): the primary, as before.
    assert router.db_for_read(Provider) == replica.PRIMARY
    assert router.db_for_write(Provider) == replica.PRIMARY
    # The replica is never migrated; the primary follows django-tenants' router.
    assert router.allow_migrate(replica.REPLICA, "catalogue") is False
    assert router.allow_migrate(replica.PRIMARY, "catalogue") is None


def test_lagging_replica_falls_back_to_the_primary(replica_alias: Standby, settings: Any) -> None:
    # The lag is the age of the last transaction the standby replayed; a standby that
    # has replayed none since it started has no such age, and the router then treats
    # the lag as unknown (the primary serves). So one committed write is replayed first.
    committed_provider("aurora", "Replayed before the pause")
    assert wait_until(replica_alias.caught_up, seconds=10)
    replica_alias.pause_replay()
    committed_provider("aurora", "Written while paused")
    time.sleep(0.6)
    written = PREFIX + "Written while paused"

    # A tolerant threshold: the replica still serves, and does not have the row yet.
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    replica.forget_replica_health()
    response, replica_count, _ = get_counting(anonymous("aurora"), PROVIDERS)
    assert replica_count > 0 and written not in provider_names(response)

    # Lag above the threshold: the primary serves, with the row.
    settings.REPLICA_MAX_LAG_SECONDS = 0.5
    replica.forget_replica_health()
    response, replica_count, _ = get_counting(anonymous("aurora"), PROVIDERS)
    assert replica_count == 0 and written in provider_names(response)
    lag = replica.replica_health().lag
    assert lag is not None and lag > 0.5

    # Replay resumed and caught up: the replica serves again, with the row.
    replica_alias.resume_replay()
    assert wait_until(replica_alias.caught_up, seconds=10)
    replica.forget_replica_health()
    response, replica_count, _ = get_counting(anonymous("aurora"), PROVIDERS)
    assert replica_count > 0 and written in provider_names(response)


def test_a_stopped_replica_does_not_fail_a_page(replica_alias: Standby) -> None:
    client = anonymous("aurora")
    response, replica_count, _ = get_counting(client, PROVIDERS)
    assert response.status_code == 200 and replica_count > 0
    try:
        # Stopped after the last health check said "usable": the page's first read on
        # the replica fails, the page is served again from the primary.
        replica_alias.stop()
        started = time.monotonic()
        response = client.get(PROVIDERS)
        assert response.status_code == 200
        assert time.monotonic() - started < 2.5
        # Marked down: the next pages go straight to the primary, without trying.
        started = time.monotonic()
        for path in (PROVIDERS, "/providers/", "/"):
            assert client.get(path).status_code == 200
        assert time.monotonic() - started < 2.5
        # Found stopped by the health check itself.
        replica.forget_replica_health()
        assert client.get(PROVIDERS).status_code == 200
        assert replica.replica_health().usable is False
    finally:
        replica_alias.start()
    replica.forget_replica_health()
    response, replica_count, _ = get_counting(client, PROVIDERS)
    assert response.status_code == 200 and replica_count > 0


def settings_module(monkeypatch: pytest.MonkeyPatch, **env: str) -> Any:
    """A fresh copy of the settings module, evaluated with this environment."""
    for name in ("REPLICA_DATABASE_URL", "DATABASE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "settings_copy", ROOT / "platform/learning_platform/settings.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_add_the_replica_only_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "replica" not in settings_module(monkeypatch).DATABASES
    databases = settings_module(
        monkeypatch,
        REPLICA_DATABASE_URL="postgis://cities@replica.internal:6543/cities",
        DATABASE_PASSWORD="secret",
    ).DATABASES
    replica_db = databases["replica"]
    assert (replica_db["HOST"], replica_db["PORT"], replica_db["NAME"]) == (
        "replica.internal",
        6543,
        "cities",
    )
    assert replica_db["ENGINE"] == databases["default"]["ENGINE"]
    assert replica_db["PASSWORD"] == "secret"
    assert replica_db["OPTIONS"] == {"connect_timeout": 1}
    assert replica_db["TEST"] == {"MIRROR": "default"}
    # No pool on the replica: a pool would wait its timeout for a server that is down.
    assert "pool" not in replica_db["OPTIONS"]


def http_names(base: str, host: str, path: str, cookie: str = "") -> set[str]:
    headers = {"Host": host, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310  (loopback)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return {row["name"] for row in json.loads(response.read())["results"]}


@pytest.mark.slow
def test_a_production_process_configured_by_replica_database_url(
    standby: Standby, django_db_blocker: Any, tmp_path: Path
) -> None:
    """gunicorn as deployed (the primary's pool, REPLICA_DATABASE_URL): with replay
    paused, an anonymous read misses a row just committed, a pinned browser sees it."""
    dbname = connections["default"].settings_dict["NAME"]
    env = python_env(
        BIND=f"127.0.0.1:{port('gunicorn')}",
        WEB_CONCURRENCY="1",
        PLATFORM_DOMAIN="localhost",
        DEBUG="0",
        GUNICORN_ACCESSLOG="",
        DB_POOL="1",
        REPLICA_DATABASE_URL=f"postgis://postgres@127.0.0.1:{standby.port}/{dbname}",
        # Tolerant, so that the paused replica keeps serving: that is what is looked at.
        REPLICA_MAX_LAG_SECONDS="3600",
    )
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")]
    base, written = f"http://127.0.0.1:{port('gunicorn')}", PREFIX + "Seen by the primary only"
    with django_db_blocker.unblock():
        host = territory("aurora").host
        assert wait_until(standby.caught_up, seconds=30)
        with running(command, listen_port=port("gunicorn"), env=env, log=tmp_path / "g.log"):
            assert written not in http_names(base, host, PROVIDERS)
            standby.pause_replay()
            try:
                committed_provider("aurora", "Seen by the primary only")
                assert written not in http_names(base, host, PROVIDERS)
                pinned = f"{replica.PIN_COOKIE}=1"
                assert written in http_names(base, host, PROVIDERS, cookie=pinned)
            finally:
                standby.resume_replay()
                with tenant_context(territory("aurora")):
                    Provider.objects.filter(name__startswith=PREFIX).delete()


def test_without_a_replica_the_router_and_middleware_stay_out_of_the_way(
    client_for: Any, territory_a: Territory
) -> None:
    assert replica.REPLICA not in settings.DATABASES
    router = replica.ReplicaRouter()
    assert router.db_for_read(Provider) is None
    assert router.db_for_write(Provider) is None
    response = client_for(territory_a).post("/accounts/login/", {"login": "x@example.org"})
    # The sign-in form again, with its error (no password): the POST was handled.
    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()
    assert replica.PIN_COOKIE not in response.cookies


def test_search_planner_settings_are_made_on_the_connection_that_reads(
    replica_alias: Standby,
) -> None:
    """The search's planner settings (JIT off, index-friendly costs) are SET LOCAL in a
    transaction: on the replica's connection when the replica serves the page, or
    they would apply to the primary while the replica plans without them."""
    with (
        CaptureQueriesContext(connections[replica.REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = anonymous("aurora").get("/activities/?q=music")
    assert response.status_code == 200
    assert b'name="q"' in response.content
    replica_sql = [q["sql"] for q in on_replica.captured_queries]
    assert any("SET LOCAL jit = off" in sql for sql in replica_sql)
    assert any("activity" in sql for sql in replica_sql)
    assert not any("SET LOCAL jit = off" in q["sql"] for q in on_primary.captured_queries)
