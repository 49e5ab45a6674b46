"""deploy/release.sh runs its steps against a real database, in order; a reload of
the web service (deploy/systemd/cities-web.service: HUP to gunicorn) switches to the
new code under traffic without failing a request."""

from __future__ import annotations

import http.client
import json
import logging
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

import learning_platform
from tenants import pool
from tenants.models import Domain, SchemaState, Territory
from tests.servers import ROOT, port, python_env, running, wait_until

pytestmark = pytest.mark.slow
logger = logging.getLogger(__name__)


# What production sets for HTTPS (deploy/env.example): without them check --deploy warns.
HTTPS_SETTINGS = {"SECURE_COOKIES": "1", "SECURE_HSTS_SECONDS": "31536000"}


def test_release_script_stops_on_a_deploy_check_warning(
    django_db_setup: None, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        env = python_env(PYTHON=str(ROOT / ".venv/bin/python"), SECURE_HSTS_SECONDS="31536000")
    env.pop("SECURE_COOKIES", None)
    result = subprocess.run(
        ["bash", str(ROOT / "deploy/release.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
    assert "2/4 shared" not in result.stdout  # nothing migrated


def test_release_script_migrates_shared_then_territories_in_parallel(
    django_db_setup: None, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        env = python_env(
            MIGRATION_PROCESSES="2", PYTHON=str(ROOT / ".venv/bin/python"), **HTTPS_SETTINGS
        )
        # Both territories recorded as migrated by older code (committed: the script is
        # another process): the release migrates exactly these, in 2 worker processes,
        # and records them current again.
        SchemaState.objects.filter(territory__slug__in=["aurora", "borealis"]).update(
            fingerprint="older-code"
        )
    result = subprocess.run(
        ["bash", str(ROOT / "deploy/release.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    steps = ["1/4 checks", "2/4 shared", "3/4 standby", "4/4 territory schemas", "static files"]
    positions = [out.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "2 migrated, 0 failed" in out
    with django_db_blocker.unblock():
        fingerprints = set(
            SchemaState.objects.filter(territory__slug__in=["aurora", "borealis"]).values_list(
                "fingerprint", flat=True
            )
        )
    assert fingerprints == {pool.migrations_fingerprint()}
    # Until issue #6 brings the standby pool, the step says why it does nothing.
    from django.core.management import get_commands

    skipped = "no migrate_standby_schemas command in this version" in out
    assert skipped is ("migrate_standby_schemas" not in get_commands())


def test_custom_domains_for_certificates(territory_a: Territory, capsys: Any) -> None:
    Domain.objects.create(
        domain="learn.aurora-city.test",
        tenant=territory_a,
        kind=Domain.Kind.CUSTOM,
        is_verified=True,
        verified_at=timezone.now(),
    )
    Domain.objects.create(
        domain="pending.aurora-city.test", tenant=territory_a, kind=Domain.Kind.CUSTOM
    )
    call_command("list_custom_domains")
    assert capsys.readouterr().out.split() == ["learn.aurora-city.test"]


class Traffic(threading.Thread):
    """Requests without pause from a few clients: the version each answer names, and
    every failure (an error status, a refused or dropped connection)."""

    def __init__(self, listen_port: int, *, clients: int = 3) -> None:
        super().__init__(daemon=True)
        self.listen_port = listen_port
        self.clients = clients
        self.versions: list[str] = []
        self.failures: list[str] = []
        self.pages = 0
        self.stop = threading.Event()

    def client(self) -> None:
        while not self.stop.is_set():
            for path in ("/livez", "/"):
                connection = http.client.HTTPConnection("127.0.0.1", self.listen_port, timeout=30)
                try:
                    connection.request("GET", path, headers={"Host": "localhost"})
                    response = connection.getresponse()
                    body = response.read()
                except OSError as error:
                    self.failures.append(f"{path}: {error!r}")
                    continue
                finally:
                    connection.close()
                if response.status != 200:
                    self.failures.append(f"{path}: {response.status}")
                elif path == "/livez":
                    self.versions.append(json.loads(body)["version"])
                else:
                    self.pages += 1

    def run(self) -> None:
        threads = [threading.Thread(target=self.client) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def test_reload_switches_to_the_new_code_under_traffic_without_failures(
    django_db_setup: None, django_db_blocker: Any, tmp_path: Path
) -> None:
    # A release directory of its own: the shipped gunicorn settings and the project
    # package (which carries the version); the apps come from the checkout.
    release = tmp_path / "app"
    (release / "deploy").mkdir(parents=True)
    shutil.copy(ROOT / "deploy/gunicorn.conf.py", release / "deploy/gunicorn.conf.py")
    shutil.copytree(
        ROOT / "platform/learning_platform",
        release / "platform/learning_platform",
        ignore=shutil.ignore_patterns("__pycache__", "*.po"),
    )
    init = release / "platform/learning_platform/__init__.py"
    init.write_text(init.read_text().replace('__version__ = "', '__version__ = "old-'))
    listen = port("gunicorn_release")
    with django_db_blocker.unblock():
        env = python_env(
            BIND=f"127.0.0.1:{listen}",
            WEB_CONCURRENCY="2",
            PLATFORM_DOMAIN="localhost",
            GUNICORN_ACCESSLOG="",
            PYTHONPATH=str(ROOT),
        )
    command = [sys.executable, "-m", "gunicorn", "-c", str(release / "deploy/gunicorn.conf.py")]
    log = tmp_path / "gunicorn.log"
    with running(command, listen_port=listen, env=env, cwd=release, log=log) as master:
        traffic = Traffic(listen)
        traffic.start()
        try:
            assert wait_until(lambda: len(traffic.versions) > 10, seconds=60)
            assert set(traffic.versions) == {"old-" + learning_platform.__version__}
            # The release: new code on disk, then `systemctl reload cities-web`.
            init.write_text(init.read_text().replace('__version__ = "old-', '__version__ = "new-'))
            reloaded_at = len(traffic.versions)
            master.send_signal(signal.SIGHUP)
            new = "new-" + learning_platform.__version__

            def switched() -> bool:
                recent = traffic.versions[-20:]
                return len(traffic.versions) > reloaded_at + 20 and set(recent) == {new}

            assert wait_until(switched, seconds=90), Counter(traffic.versions[reloaded_at:])
            time.sleep(1)  # a little more traffic on the new workers
        finally:
            traffic.stop.set()
            traffic.join(timeout=60)
    logger.info(  # the figures: pytest -o log_cli=true --log-cli-level=INFO
        f"reload under traffic: {len(traffic.versions) + traffic.pages} requests, "
        f"{len(traffic.failures)} failed, versions {dict(Counter(traffic.versions))}"
    )
    assert traffic.failures == [], (traffic.failures[:5], log.read_text()[-3000:])
    assert traffic.pages > 0
    # Once the new code answered, the old one never did again.
    first_new = traffic.versions.index(new)
    assert set(traffic.versions[first_new:]) == {new}
