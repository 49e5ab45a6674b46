"""Redis stopped or frozen under traffic: a real gunicorn (deploy/gunicorn.conf.py) on a
real Redis, anonymous and signed-in page views, and a sign-up while the broker is down.

Nothing may fail: the cache degrades to PostgreSQL (shared_apps/ops/cache.py) and
tasks and emails wait in the outbox (shared_apps/ops/outbox.py). The server is another
process, so rows it needs are committed (and deleted at the end).
"""

from __future__ import annotations

import json
import re
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from shared_apps.accounts.models import User
from shared_apps.ops.models import OutboundEmail, OutboundTask
from tenants.models import Territory
from tests.conftest import email_of
from tests.servers import ROOT, RedisServer, Traffic, port, python_env, running, wait_until

pytestmark = pytest.mark.slow
SIGNUP_EMAIL = "outage-signup@example.org"


@dataclass
class Stack:
    redis: RedisServer
    base: str
    log: Path


@pytest.fixture(scope="module")
def stack(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("outage")
    redis = RedisServer(folder, port("redis"))
    redis.start()
    env = python_env(
        REDIS_URL=redis.url,
        BIND=f"127.0.0.1:{port('gunicorn')}",
        WEB_CONCURRENCY="2",
        PLATFORM_DOMAIN="localhost",
        DEBUG="0",
        GUNICORN_ACCESSLOG="",
        ACCOUNT_EMAIL_VERIFICATION="mandatory",
    )
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")]
    log = folder / "gunicorn.log"
    try:
        with (
            django_db_blocker.unblock(),
            running(command, listen_port=port("gunicorn"), env=env, log=log),
        ):
            try:
                yield Stack(redis, f"http://127.0.0.1:{port('gunicorn')}", log)
            finally:
                User.objects.filter(email__endswith=SIGNUP_EMAIL).delete()
                for outage in ("stopped", "frozen"):
                    OutboundEmail.objects.filter(to=[f"{outage}-{SIGNUP_EMAIL}"]).delete()
                OutboundTask.objects.all().delete()
    finally:
        redis.stop()


@pytest.fixture(scope="module")
def session_cookie(stack: Stack, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """A signed-in session of ada's on aurora, stored (committed) in its schema."""
    with django_db_blocker.unblock():
        aurora = Territory.objects.get(slug="aurora")
        with tenant_context(aurora):
            client = Client()
            client.force_login(User.objects.get(email=email_of("ada")))
            key = client.cookies["sessionid"].value
        try:
            yield {"sessionid": key}
        finally:
            with tenant_context(aurora):
                from django.contrib.sessions.models import Session

                Session.objects.filter(session_key=key).delete()


def test_pages_are_served_while_redis_is_stopped_then_frozen(
    stack: Stack, session_cookie: dict[str, str]
) -> None:
    pages = [
        ("territory home", "aurora.localhost", "/", {}),
        ("network home", "localhost", "/", {}),
        ("catalogue", "aurora.localhost", "/", {}),
        ("signed-in: my badges", "aurora.localhost", "/badges/mine/", session_cookie),
        ("signed-in: home", "aurora.localhost", "/", session_cookie),
    ]
    # Warm both gunicorn workers up first (their first pages take seconds here).
    with Traffic(stack.base, pages, threads=2, timeout=30) as warm_up:
        wait_until(lambda: len(warm_up.hits) >= 2 * len(pages), seconds=60)
    with Traffic(stack.base, pages, threads=4, timeout=30) as traffic:
        time.sleep(2)
        stopped = time.monotonic()
        stack.redis.stop()
        time.sleep(4)
        restarted = time.monotonic()
        stack.redis.start()
        time.sleep(2)
        frozen = time.monotonic()
        stack.redis.freeze()
        time.sleep(5)
        thawed = time.monotonic()
        stack.redis.thaw()
        time.sleep(2)
    failures = traffic.failures()
    assert not failures, (failures[:5], stack.log.read_text()[-3000:])
    print(  # noqa: T201  (shown with -s: the figures of this run)
        f"requests: {len(traffic.hits)}; while stopped {traffic.count(stopped, restarted)}"
        f" (slowest {traffic.slowest(stopped, restarted):.2f} s), while frozen"
        f" {traffic.count(frozen, thawed)} (slowest {traffic.slowest(frozen, thawed):.2f} s)"
    )
    # Each of the 4 clients got answers during both outages.
    assert traffic.count(stopped, restarted) >= 8
    assert traffic.count(frozen, thawed) >= 8
    # The signed-in pages really were signed in (a 302 to the login page would fail).
    assert any(hit.what.startswith("signed-in") for hit in traffic.hits)
    # A frozen Redis costs a request at most a couple of short timeouts, never 20 s.
    assert traffic.slowest(frozen, thawed) < 3.0, traffic.slowest(frozen, thawed)


def _post_form(base: str, host: str, path: str, fields: dict[str, str]) -> tuple[int, str]:
    """GET the form for its CSRF token and cookie, POST it; (status, Location)."""
    request = urllib.request.Request(base + path, headers={"Host": host})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        page = response.read().decode()
        cookie = response.headers["Set-Cookie"].split(";")[0]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, page[:2000]
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": match.group(1)}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    post = urllib.request.Request(  # noqa: S310
        base + path,
        data=body,
        headers={"Host": host, "Cookie": cookie, "Referer": f"http://{host}{path}"},
    )
    try:
        with opener.open(post, timeout=30) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_a_sign_up_while_redis_is_down_keeps_account_and_email_together(
    stack: Stack, django_db_blocker: Any, outage: str
) -> None:
    address = f"{outage}-{SIGNUP_EMAIL}"
    if outage == "stopped":
        stack.redis.stop()
    else:
        stack.redis.freeze()
    try:
        ready = urllib.request.Request(stack.base + "/readyz", headers={"Host": "localhost"})  # noqa: S310
        with urllib.request.urlopen(ready, timeout=10) as response:  # noqa: S310
            # Still in the load balancer: it serves pages, marked degraded.
            assert response.status == 200
            checks = json.loads(response.read())["checks"]
            assert checks["database"] == "ok" and checks["cache"] == "unavailable"
            if outage == "stopped":  # a frozen Redis still accepts connections
                assert checks["broker"] == "unavailable"
        started = time.monotonic()
        status, location = _post_form(
            stack.base,
            "aurora.localhost",
            "/accounts/signup/",
            {
                "email": address,
                "password1": "a long enough passphrase 42",
                "password2": "a long enough passphrase 42",
                "display_name": "Outage",
                "birth_year": "1990",
                "birth_month": "5",
            },
        )
        seconds = time.monotonic() - started
    finally:
        if outage == "stopped":
            stack.redis.start()
        else:
            stack.redis.thaw()
    assert status == 302, (status, stack.log.read_text()[-3000:])
    assert "confirm-email" in location
    assert seconds < 5, seconds  # the page and the sign-up: never a wait on Redis
    with django_db_blocker.unblock(), schema_context("public"):
        assert User.objects.filter(email=address).exists()
        email = OutboundEmail.objects.get(to=[address])
        # Waiting in the outbox for the relay: never handed to the (absent) broker.
        assert email.sent_at is None and email.queued_at is None
        assert email.purpose == "account/email/email_confirmation_signup"
