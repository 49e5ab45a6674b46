import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client

import learning_platform

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("host", ["localhost", "aurora.localhost", "borealis.localhost"])
def test_healthz_on_every_host(db: None, host: str) -> None:
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["schemas"] >= 2
    assert body["version"] == learning_platform.__version__


def test_healthz_503_when_database_errors(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = Client(HTTP_HOST="aurora.localhost").get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_healthz_503_with_no_database_server() -> None:
    """A real process pointed at a port where nothing listens."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgis://postgres@127.0.0.1:9/nothing",
        "DB_POOL": "0",
        "LOCAL_DEFAULTS": "1",
        "DJANGO_SETTINGS_MODULE": "learning_platform.settings",
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "503 unreachable", result.stderr
