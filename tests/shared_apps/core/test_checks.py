"""With DEBUG off, a process refuses to start on the local fallbacks of required settings."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from shared_apps.core.checks import refuse_incomplete_configuration, required_settings
from tests.servers import ROOT, port, python_env, wait_until

REQUIRED = [
    "SECRET_KEY",
    "BADGES_KEY_SECRET",
    "DATABASE_URL",
    "REDIS_URL",
    "PLATFORM_DOMAIN",
    "EMAIL_BACKEND",
]


def test_every_missing_setting_is_named() -> None:
    with override_settings(LOCAL_DEFAULTS=False, MISSING_SETTINGS=["SECRET_KEY", "REDIS_URL"]):
        errors = required_settings()
        assert [error.id for error in errors] == ["core.E001", "core.E001"]
        assert errors[0].msg.startswith("SECRET_KEY is not set")
        assert errors[1].msg.startswith("REDIS_URL is not set")
        with pytest.raises(ImproperlyConfigured, match=r"SECRET_KEY is not set.*REDIS_URL"):
            refuse_incomplete_configuration()
    with override_settings(LOCAL_DEFAULTS=True, MISSING_SETTINGS=["SECRET_KEY"]):
        assert required_settings() == []
        refuse_incomplete_configuration()


def start_web_process(django_db_blocker: Any, **env: str) -> subprocess.CompletedProcess[str]:
    """gunicorn as deployed (deploy/gunicorn.conf.py), until its worker either fails to
    boot (gunicorn exits 3) or answers /livez (then it is stopped: exit 0)."""
    with django_db_blocker.unblock():
        base = python_env()
    for name in [*REQUIRED, "DEBUG", "LOCAL_DEFAULTS"]:
        base.pop(name, None)
    listen = port("gunicorn_config")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")],
        cwd=ROOT,
        env={**base, "BIND": f"127.0.0.1:{listen}", "WEB_CONCURRENCY": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def answers() -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", listen, timeout=5)
        try:
            connection.request("GET", "/livez", headers={"Host": "localhost"})
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    try:
        assert wait_until(lambda: process.poll() is not None or answers(), seconds=90)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, output, output)


def test_the_web_process_refuses_to_start_without_the_production_settings(
    django_db_setup: None, django_db_blocker: Any
) -> None:
    database = python_env()["DATABASE_URL"]
    refused = start_web_process(django_db_blocker, DATABASE_URL=database)
    assert refused.returncode == 3  # gunicorn: a worker failed to boot
    assert "ImproperlyConfigured: Refusing to start" in refused.stderr
    for name in ["SECRET_KEY", "BADGES_KEY_SECRET", "REDIS_URL", "EMAIL_BACKEND"]:
        assert f"{name} is not set" in refused.stderr
    assert "DATABASE_URL is not set" not in refused.stderr

    complete = {
        "DATABASE_URL": database,
        "SECRET_KEY": "a-production-key-of-enough-length-and-randomness-0123456789",
        "BADGES_KEY_SECRET": "another-production-key-of-enough-length-0123456789",
        "REDIS_URL": "redis://127.0.0.1:6379/0",  # not connected to at import
        "PLATFORM_DOMAIN": "learn.example.org",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    started = start_web_process(django_db_blocker, **complete)
    assert started.returncode == 0, started.stderr
    # Local runs say so (the Makefile, the tests' servers) or run with DEBUG.
    assert start_web_process(django_db_blocker, LOCAL_DEFAULTS="1").returncode == 0
    assert start_web_process(django_db_blocker, DEBUG="1").returncode == 0


@pytest.mark.parametrize("service", [["worker", "--pool", "solo"], ["beat"]])
def test_worker_and_beat_refuse_to_start_without_the_production_settings(
    django_db_setup: None, django_db_blocker: Any, service: list[str], tmp_path: Path
) -> None:
    if service == ["beat"]:
        service = [*service, "--schedule", str(tmp_path / "celerybeat-schedule")]
    with django_db_blocker.unblock():
        env = python_env()
    for name in [*REQUIRED, "DEBUG", "LOCAL_DEFAULTS"]:
        if name != "DATABASE_URL":
            env.pop(name, None)
    # Started on a working configuration, either would run until stopped (timeout).
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "learning_platform", *service],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "BADGES_KEY_SECRET is not set" in result.stderr + result.stdout
