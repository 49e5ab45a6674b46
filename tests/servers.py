"""Real servers the integration tests start on loopback: moto (S3), Redis, gunicorn, nginx.

Each runs as a child process of the test session on a port of its own (8190-8199 by
default, PORT_BASE moves the range), and is stopped when its fixture ends.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT_BASE = int(os.environ.get("TEST_SERVER_PORT_BASE", "8190"))
# Fixed offsets inside the range, so servers of one session never collide.
PORTS = {
    "nginx_http": 0,
    "nginx_https": 1,
    "gunicorn": 2,
    "moto": 3,
    "redis": 4,
    "gunicorn_config": 7,  # tests/shared_apps/core/test_checks.py
    "gunicorn_release": 8,  # tests/deploy/test_release.py
    "closed_smtp": 9,  # nothing listens: a mail server that is down
}


def port(name: str) -> int:
    return PORT_BASE + PORTS[name]


def port_is_free(number: int) -> bool:
    with socket.socket() as sock:
        # Connections of an earlier run may linger in TIME_WAIT; servers reuse too.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", number))
        except OSError:
            return False
    return True


def wait_for_port(number: int, process: subprocess.Popen[bytes], *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {number} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", number)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {number} after {seconds} s")


def wait_until(check: Callable[[], bool], *, seconds: float = 30, every: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


def binary(name: str, *candidates: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    return next((c for c in candidates if Path(c).is_file()), None)


@contextmanager
def running(
    command: Sequence[str],
    *,
    listen_port: int,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    log: Path | None = None,
    seconds: float = 30,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server, wait until it listens, stop it at the end (its stderr is kept
    in ``log`` when given, so a failing test can show it)."""
    if not port_is_free(listen_port):
        raise RuntimeError(f"port {listen_port} is taken: set TEST_SERVER_PORT_BASE")
    out = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        list(command), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(listen_port, process, seconds=seconds)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()  # type: ignore[union-attr]


def python_env(**extra: str) -> dict[str, str]:
    """Environment for a child Django process against the current test database."""
    from django.db import connection

    settings = connection.settings_dict
    url = (
        f"postgis://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or os.environ.get('PGPORT', '5432')}/{settings['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DB_POOL": "0",
        "DJANGO_SETTINGS_MODULE": "learning_platform.settings",
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        # DEBUG is off in these processes: say that the local fallbacks are meant.
        "LOCAL_DEFAULTS": "1",
        **extra,
    }


PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent


def nginx_render() -> Callable[[dict[str, str], Path], list[Path]]:
    """deploy/nginx/render.py's render(): a script, not a package, so loaded by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("nginx_render", ROOT / "deploy/nginx/render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    render: Callable[[dict[str, str], Path], list[Path]] = module.render
    return render
