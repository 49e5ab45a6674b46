"""Probes, metrics and structured logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection
from django.test import Client

from shared_apps.ops.logcontext import ContextFilter, JsonFormatter
from tenants.models import Territory
from tests.conftest import ClientFor


def test_liveness_needs_nothing_but_the_process() -> None:
    # No `db` fixture: any database query here would fail the test.
    response = Client(HTTP_HOST="unknown.example").get("/livez")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("host", ["localhost", "aurora.localhost", "some.proxy.internal"])
def test_readiness_checks_database_and_cache(db: None, host: str) -> None:
    response = Client(HTTP_HOST=host).get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_readiness_fails_when_the_database_does(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:  # undone before the test's rollback
        patched.setattr(connection, "cursor", broken_cursor)
        response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_readiness_reports_a_missing_broker_but_keeps_serving(db: None, settings: object) -> None:
    """Pages are served without Redis (cache fallback, outbox): the instance stays in
    the load balancer, marked degraded."""
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # type: ignore[attr-defined]
    from shared_apps.ops.celery_app import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on port 9
    try:
        response = Client(HTTP_HOST="localhost").get("/readyz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == "unavailable"


def test_metrics_for_allowed_networks_only(
    territory_a: Territory, client_for: ClientFor, settings: object
) -> None:
    client_for(territory_a).get("/")
    page = Client(HTTP_HOST="localhost", REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'col_http_requests_total{method="GET",site="territory",status="200"}' in text
    assert 'col_territories{status="active"}' in text
    assert "col_failed_tasks " in text

    # Through the proxy every client looks local: refused, as is any other network.
    proxied = Client(HTTP_HOST="localhost", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert proxied.get("/metrics").status_code == 404
    assert Client(REMOTE_ADDR="192.0.2.10").get("/metrics").status_code == 404

    settings.METRICS_TOKEN = "s3cret-token"  # type: ignore[attr-defined]
    remote = Client(REMOTE_ADDR="192.0.2.10")
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


@pytest.fixture
def json_log() -> Iterator[list[str]]:
    """JSON lines written by the loggers of a request, as production writes them."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    loggers = [logging.getLogger("django.request"), logging.getLogger("tests.view")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_log_lines_carry_request_id_and_territory_but_no_personal_data(
    territory_a: Territory,
    client_for: ClientFor,
    json_log: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tenant_apps.home import views as home_views

    original = home_views.registered_sections

    def logging_sections() -> object:
        logging.getLogger("tests.view").warning(
            "search by %s from %s for /activities?q=ada@example.org&age=14 failed",
            "ada@example.org",
            ".".join(["10", "1", "2", "3"]),
        )
        return original()

    monkeypatch.setattr(home_views, "registered_sections", logging_sections)
    response = client_for(territory_a).get("/", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert response["X-Request-ID"] == "abcdef0123456789"
    client_for(territory_a).get("/no-such-page/", {"email": "bea" + "@example.org"})

    lines = [json.loads(line) for line in json_log]
    warning, not_found = lines[0], lines[-1]
    assert warning["territory"] == "aurora"
    assert warning["request_id"] == "abcdef0123456789"
    assert warning["message"] == (
        "search by [redacted] from [redacted] for /activities?[redacted] failed"
    )
    text = json.dumps(lines)
    assert "@example.org" not in text
    assert "10.1.2.3" not in text
    assert "age=14" not in text
    assert not_found["logger"] == "django.request"
    assert not_found["territory"] == "aurora"
    assert len(str(not_found["request_id"])) == 32  # made up here when the proxy sent none


def test_metrics_show_the_standby_pool_and_its_alarm(db: None) -> None:
    from tenants import pool
    from tenants.models import StandbySchema

    scrape = Client(HTTP_HOST="localhost", REMOTE_ADDR="127.0.0.1")
    text = scrape.get("/metrics").content.decode()
    assert f"col_standby_schemas_ready {float(pool.ready_standby_count())}" in text
    assert "col_standby_pool_empty_total" in text
    StandbySchema.objects.all().delete()
    assert "col_standby_schemas_ready 0.0" in scrape.get("/metrics").content.decode()
