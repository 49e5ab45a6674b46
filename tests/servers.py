"""Real servers the integration tests start on loopback: moto (S3), Redis, gunicorn, nginx,
a hot standby of the test cluster, PgBouncer.

Each runs as a child process of the test session on a port of its own (8190-8201 by
default, PORT_BASE moves the range), and is stopped when its fixture ends.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Under pytest-xdist (make test runs two workers) each worker gets a range of its own:
# PYTEST_XDIST_WORKER is "gw0", "gw1"... in a worker and unset otherwise.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PORTS_PER_WORKER = 20
PORT_BASE = int(os.environ.get("TEST_SERVER_PORT_BASE", "8190")) + WORKER * PORTS_PER_WORKER
# Fixed offsets inside the range, so servers of one session never collide.
PORTS = {
    "nginx_http": 0,
    "nginx_https": 1,
    "gunicorn": 2,
    "moto": 3,
    "redis": 4,
    "smtp": 5,  # tests/shared_apps/ops/test_worker_recovery.py (aiosmtpd)
    "dns": 6,  # UDP: tests/tenants/test_domains.py's DNS server
    "gunicorn_config": 7,  # tests/shared_apps/core/test_checks.py
    "gunicorn_release": 8,  # tests/deploy/test_release.py
    "closed_smtp": 9,  # nothing listens: a mail server that is down
    "pg_replica": 10,  # a hot standby of the test cluster (Standby below)
    "pgbouncer": 11,  # PgBouncer in session mode in front of the test cluster
    "onboarding": 12,  # tests/shared_apps/onboarding/test_browser.py
    "stripe": 13,  # tests/shared_apps/billing/test_billing.py's Stripe API stand-in
    # 14-19: the Open Badges conformance server's choice (tests/tenant_apps/badges/conformance)
}
CONFORMANCE_PORTS = range(PORT_BASE + 14, PORT_BASE + PORTS_PER_WORKER)


def is_test_database(name: str) -> bool:
    """Committed rows may go to the test database only: pytest-django's name for it,
    with the worker's suffix under pytest-xdist (cities_test_gw1)."""
    return re.fullmatch(r".+_test(_gw\d+)?", name) is not None


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


def stop(process: subprocess.Popen[bytes], *, seconds: float = 30) -> None:
    """Ask a child server to stop (SIGTERM), kill it if it has not within ``seconds``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
        stop(process, seconds=20)
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


def free_port() -> int:
    """A port nothing listens on now, chosen by the kernel (for servers that need no
    fixed place in the PORTS range)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(*, port: int, workers: int = 2, **extra: str) -> dict[str, str]:
    """Environment of a production-like app server (DEBUG off) on the test database."""
    return python_env(
        DEBUG="0",
        PLATFORM_PORT=str(port),
        WEB_CONCURRENCY=str(workers),
        GUNICORN_ACCESSLOG="",
        LOG_LEVEL="WARNING",
        **extra,
    )


@contextmanager
def app_server(
    env: dict[str, str],
    *,
    port: int,
    host: str = "localhost",
    log: Path | None = None,
    seconds: float = 60,
) -> Iterator[str]:
    """The app as production runs it, the one live-server helper of the tests and the
    benchmarks: gunicorn with deploy/gunicorn.conf.py on 127.0.0.1:<port>, started with
    ``env`` (DATABASE_URL, DEBUG, WEB_CONCURRENCY...). Yields its base URL once /healthz
    answers 200 (asked with ``Host: host``) and stops it at the end.

    Its output goes to ``log``, a file and never a pipe (a full pipe nobody reads blocks
    the workers); a temporary file, removed afterwards, when none is given. It is shown
    when the server does not start."""
    own_log = log is None
    if log is None:
        handle, name = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
        os.close(handle)
        log = Path(name)
    out = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}"},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            request = urllib.request.Request(base + "/healthz", headers={"Host": host})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text(errors="replace")[-4000:]
                    raise RuntimeError(f"the app server did not start:\n{text}") from None
                time.sleep(0.2)
        yield base
    finally:
        stop(process)
        out.close()
        if own_log:
            log.unlink(missing_ok=True)


def nginx_render() -> Callable[[dict[str, str], Path], list[Path]]:
    """deploy/nginx/render.py's render(): a script, not a package, so loaded by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("nginx_render", ROOT / "deploy/nginx/render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    render: Callable[[dict[str, str], Path], list[Path]] = module.render
    return render


class RedisServer:
    """A real redis-server that a test can stop, start again, freeze and thaw."""

    def __init__(self, folder: Path, number: int) -> None:
        executable = binary("redis-server", "/usr/bin/redis-server")
        if executable is None:
            raise RuntimeError("redis-server is missing: `make test` installs it")
        self.command = [executable, "--port", str(number), "--bind", "127.0.0.1"]
        self.command += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
        self.port, self.log = number, folder / "redis.log"
        self.url = f"redis://127.0.0.1:{number}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        deadline = time.monotonic() + 10
        while not port_is_free(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            self.thaw()
            self.process.kill()  # a crash, not a clean shutdown
            self.process.wait()
            self.process = None

    def freeze(self) -> None:
        """Connections are accepted by the kernel but nothing is ever answered."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGCONT)


@dataclass
class Hit:
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0: no answer at all
    what: str


class Traffic:
    """Threads sending page views until stopped: ``(name, host, path, cookies)`` each.

    A failure is any answer but the expected status (200 unless given), or none."""

    def __init__(
        self,
        base: str,
        pages: Sequence[tuple[str, str, str, dict[str, str]]],
        *,
        threads: int = 4,
        timeout: float = 30,
        expect: int = 200,
    ) -> None:
        self.base, self.pages, self.threads = base, list(pages), threads
        self.timeout, self.expect = timeout, expect
        self.hits: list[Hit] = []
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def _run(self, offset: int) -> None:
        index = offset
        while not self._stop.is_set():
            name, host, path, cookies = self.pages[index % len(self.pages)]
            index += 1
            headers = {"Host": host}
            if cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            # Loopback http:// URLs the test builds itself.
            request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            self.hits.append(Hit(started, time.monotonic() - started, status, name))

    def __enter__(self) -> Traffic:
        for offset in range(self.threads):
            thread = threading.Thread(target=self._run, args=(offset,), daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._workers:
            thread.join(timeout=self.timeout + 5)

    def failures(self, since: float = 0.0, until: float = float("inf")) -> list[Hit]:
        return [
            hit for hit in self.hits if since <= hit.started < until and hit.status != self.expect
        ]

    def slowest(self, since: float = 0.0, until: float = float("inf")) -> float:
        times = [hit.seconds for hit in self.hits if since <= hit.started < until]
        return max(times, default=0.0)

    def count(self, since: float = 0.0, until: float = float("inf")) -> int:
        return sum(1 for hit in self.hits if since <= hit.started < until)


# ---------------------------------------------------------------------------
# PostgreSQL: a hot standby of the test cluster, and PgBouncer in front of it
# ---------------------------------------------------------------------------
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
PG_OS_USER = "postgres"


def as_postgres(command: Sequence[str]) -> list[str]:
    """PostgreSQL's servers refuse to run as root: as root, run them as `postgres`
    (as scripts/db.sh does)."""
    if os.getuid() == 0:
        return ["runuser", "-u", PG_OS_USER, "--", *command]
    return list(command)


def postgres_owned_folder(path: Path) -> Path:
    """An empty folder the PostgreSQL user owns (0700), next to the test cluster's."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True, mode=0o700)
    if os.getuid() == 0:
        import pwd

        entry = pwd.getpwnam(PG_OS_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


def pg_connect(port_number: int, dbname: str = "postgres") -> Any:
    """An autocommit psycopg connection as the cluster's superuser."""
    import psycopg

    return psycopg.connect(
        host="127.0.0.1", port=port_number, user="postgres", dbname=dbname, autocommit=True
    )


def primary_port() -> int:
    from django.db import connection

    return int(connection.settings_dict["PORT"] or os.environ.get("PGPORT", "5432"))


class Standby:
    """A real hot standby of the project's PostgreSQL cluster (scripts/db.sh): taken
    with ``pg_basebackup -R`` (streaming replication, all the cluster's databases),
    started on its own port. Stop/start/pause replay to test what happens then."""

    def __init__(self, primary: int, number: int) -> None:
        self.primary, self.port = primary, number
        with pg_connect(primary) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        assert row is not None
        self.data = Path(row[0]).parent / f"pg-{primary}-standby-{number}"
        self.log = self.data.with_suffix(".log")

    def create(self) -> None:
        if (self.data / "postmaster.pid").exists():  # left by a killed session
            self.stop("immediate")
        postgres_owned_folder(self.data)
        subprocess.run(
            as_postgres(
                [
                    str(PGBIN / "pg_basebackup"),
                    *("-h", "127.0.0.1", "-p", str(self.primary), "-U", "postgres"),
                    *("-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
                ]
            ),
            check=True,
            capture_output=True,
        )
        # Later lines win over the primary's copied settings.
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\n# hot standby (tests/servers.py)\nport = {self.port}\n"
                f"unix_socket_directories = '{self.data}'\nshared_buffers = 32MB\n"
                "hot_standby = on\nhot_standby_feedback = on\n"
            )
        if self.log.exists():
            self.log.unlink()

    def start(self) -> None:
        if not self.log.exists():
            self.log.touch()
            if os.getuid() == 0:
                shutil.chown(self.log, PG_OS_USER)
        subprocess.run(
            as_postgres(
                [str(PGBIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )
        assert wait_until(self.streaming, seconds=30), self.log.read_text()[-2000:]

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            as_postgres([str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.data, ignore_errors=True)
        self.log.unlink(missing_ok=True)

    def query(self, sql: str, dbname: str = "postgres") -> Any:
        with pg_connect(self.port, dbname) as conn:
            row = conn.execute(sql).fetchone()
        return row[0] if row else None

    def streaming(self) -> bool:
        try:
            return self.query("SELECT status FROM pg_stat_wal_receiver") == "streaming"
        except Exception:  # not accepting connections yet
            return False

    def caught_up(self) -> bool:
        with pg_connect(self.primary) as conn:
            row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        assert row is not None
        return bool(self.query(f"SELECT pg_last_wal_replay_lsn() >= '{row[0]}'::pg_lsn"))

    def pause_replay(self) -> None:
        self.query("SELECT pg_wal_replay_pause()::text")

    def resume_replay(self) -> None:
        self.query("SELECT pg_wal_replay_resume()::text")


def shipped_pgbouncer_ini(*, database: str, **overrides: str) -> str:
    """deploy/pgbouncer/pgbouncer.ini with some [pgbouncer] values replaced and a
    [databases] entry added (pgbouncer's %include cannot do it: a second [pgbouncer]
    section starts again from the defaults)."""
    lines, section, left = [], "", dict(overrides)
    for line in (ROOT / "deploy/pgbouncer/pgbouncer.ini").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
            lines.append(line)
            if section == "[databases]":
                lines.append(database)
            continue
        key = stripped.split("=", 1)[0].strip()
        if section == "[pgbouncer]" and "=" in stripped and key in overrides:
            lines.append(f"{key} = {left.pop(key, overrides[key])}")
        else:
            lines.append(line)
    lines += [f"{key} = {value}" for key, value in left.items()]  # [pgbouncer] comes last
    return "\n".join(lines) + "\n"


class PgBouncer:
    """The real pgbouncer binary (Debian package) running the shipped configuration
    (deploy/pgbouncer/pgbouncer.ini via shipped_pgbouncer_ini) with the test database, port,
    files and a SCRAM-checked password (a test-only user list) replacing the real ones;
    ``admin`` queries its console."""

    PASSWORD = "bouncer-test-passphrase"

    def __init__(self, primary: int, number: int, dbname: str) -> None:
        executable = binary("pgbouncer", "/usr/sbin/pgbouncer")
        if executable is None:
            raise RuntimeError("pgbouncer is missing: `make test` installs it")
        with pg_connect(primary) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        assert row is not None
        self.folder = postgres_owned_folder(Path(row[0]).parent / f"pgbouncer-{number}")
        self.port, self.dbname = number, dbname
        self.log = self.folder / "pgbouncer.log"
        ini = self.folder / "pgbouncer.ini"
        users = self.folder / "userlist.txt"
        ini.write_text(
            shipped_pgbouncer_ini(
                database=f"{dbname} = host=127.0.0.1 port={primary} dbname={dbname}",
                listen_port=str(number),
                unix_socket_dir="",
                auth_file=str(users),
                admin_users="postgres",
                stats_users="postgres",
                logfile=str(self.log),
                server_tls_sslmode="disable",
            )
        )
        users.write_text(f'"postgres" "{self.PASSWORD}"\n')
        if os.getuid() == 0:
            for path in (ini, users):
                shutil.chown(path, PG_OS_USER)
        # As root, pgbouncer must be told which user to become (it refuses root).
        self.command = [executable, *(["-u", PG_OS_USER] if os.getuid() == 0 else []), str(ini)]

    def url(self, password: str | None = None) -> str:
        secret = self.PASSWORD if password is None else password
        return f"postgis://postgres:{secret}@127.0.0.1:{self.port}/{self.dbname}"

    def connect(self, dbname: str | None = None, password: str | None = None) -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            password=self.PASSWORD if password is None else password,
            dbname=dbname or self.dbname,
            autocommit=True,
        )

    def admin(self, command: str) -> list[dict[str, Any]]:
        import psycopg
        from psycopg.rows import dict_row

        with self.connect("pgbouncer") as conn:
            # The admin console speaks the simple query protocol only.
            cursor = psycopg.ClientCursor(conn, row_factory=dict_row)
            cursor.execute(command)
            return cursor.fetchall()
