"""Faults under load (issue #15): failed requests, recovery seconds, lost writes.

The production stack on loopback: gunicorn (deploy/gunicorn.conf.py, 2 workers, the
connection pool on), Redis (cache and broker), a Celery worker and beat. Clients send
page views (anonymous and signed in) the whole time, and one client signs new
learners up (an acknowledged write: the account and its confirmation email). Then,
one after the other:

1. Redis stopped (killed), then started again, empty;
2. Redis frozen (SIGSTOP: connections accepted, nothing answered), then thawed;
3. PostgreSQL restarted (the project-local cluster: scripts/db.sh stop + start);
4. the Celery worker killed (SIGKILL of its main process), restarted 5 s later.

Printed per fault: requests and failed requests from its start until the next fault
(10 s after the previous one was over), and recovery seconds (from the fault until
the last failed request of its window ended; 0 when nothing failed); a failed sign-up
counts where it failed. For the worker kill: seconds until every confirmation email
acknowledged before the kill was sent. At the end, lost writes: acknowledged
sign-ups missing from the database, and their confirmation emails never sent.

Run: `make chaos` (or `.venv/bin/python bench/bench_chaos.py`); ~3 minutes. It
restarts the project-local PostgreSQL of this checkout (PGPORT): run it when nothing
else uses that cluster.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, bench_territory, free_port, report, server_env
from tests.servers import RedisServer, Traffic, stop, wait_until

DB = "cities_bench_chaos"
PASSWORD = "chaos pass phrase 2026"  # noqa: S105  (a throw-away bench database)
SETTLE = float(os.environ.get("CHAOS_SETTLE_SECONDS", "10"))
FAULT = float(os.environ.get("CHAOS_FAULT_SECONDS", "10"))


class SignUps:
    """One client signing learners up, one after another; remembers acknowledged ones."""

    def __init__(self, base: str, host: str) -> None:
        self.base, self.host = base, host
        self.acknowledged: list[tuple[float, str]] = []
        self.failed: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _one(self, address: str) -> bool:
        opener = urllib.request.build_opener(_NoRedirect)
        page = urllib.request.Request(self.base + "/accounts/signup/", headers={"Host": self.host})
        with opener.open(page, timeout=30) as response:
            text = response.read().decode()
            cookie = response.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if token is None:
            return False
        body = urllib.parse.urlencode(
            {
                "email": address,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": "Chaos",
                "birth_year": "1990",
                "birth_month": "5",
                "csrfmiddlewaretoken": token.group(1),
            }
        ).encode()
        post = urllib.request.Request(
            self.base + "/accounts/signup/",
            data=body,
            headers={
                "Host": self.host,
                "Cookie": cookie,
                "Referer": f"http://{self.host}/accounts/signup/",
            },
        )
        try:
            with opener.open(post, timeout=30) as response:
                return bool(response.status == 302)
        except urllib.error.HTTPError as error:
            return error.code == 302

    def _run(self) -> None:
        number = 0
        while not self._stop.is_set():
            number += 1
            address = f"learner{number}@chaos.example.org"
            started = time.monotonic()
            try:
                ok = self._one(address)
            except OSError:
                ok = False
            if ok:
                self.acknowledged.append((started, address))
            else:
                self.failed.append(time.monotonic())  # when it failed
            # allauth allows 20 sign-ups a minute from one address.
            self._stop.wait(max(0.0, 3.5 - (time.monotonic() - started)))

    def __enter__(self) -> SignUps:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=40)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@contextmanager
def process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield child
    finally:
        stop(child)


def db_sh(action: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "db.sh"), action], check=True, capture_output=True)


def main() -> None:
    territory = bench_territory(DB, slug="chaos", name="Chaos", lon=25.28, lat=54.69)
    from django.db import connections
    from django.test import Client
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.actions import grant_membership
    from shared_apps.accounts.models import User
    from shared_apps.ops.models import OutboundEmail

    reader = User.objects.create_user(email="reader@chaos.example.org", password=PASSWORD)
    grant_membership(user=reader, territory=territory, role="learner")
    with tenant_context(territory):
        client = Client()
        client.force_login(reader)
        session = {"sessionid": client.cookies["sessionid"].value}
    connections.close_all()

    folder = Path(tempfile.mkdtemp(prefix="chaos-"))
    redis = RedisServer(folder, free_port())
    redis.start()
    web_port = free_port()
    env = server_env(
        DB,
        REDIS_URL=redis.url,
        WEB_CONCURRENCY="2",
        BIND=f"127.0.0.1:{web_port}",
        PLATFORM_DOMAIN="localhost",
        ACCOUNT_EMAIL_VERIFICATION="mandatory",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
        OUTBOX_RELAY_SECONDS="5",
        OUTBOX_SETTLE_SECONDS="3",
        DJANGO_SETTINGS_MODULE="learning_platform.settings",
        PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}",
    )
    celery = [str(Path(sys.executable).parent / "celery"), "-A", "learning_platform"]
    worker_cmd = [*celery, "worker", "--pool=prefork", "--concurrency=1", "-l", "INFO"]
    worker_cmd += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    beat_cmd = [*celery, "beat", "-l", "INFO", "--schedule", str(folder / "beat-schedule")]
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")]
    base = f"http://127.0.0.1:{web_port}"
    pages = [
        ("territory home", "chaos.localhost", "/", {}),
        ("network home", "localhost", "/", {}),
        ("signed in: my badges", "chaos.localhost", "/badges/mine/", session),
    ]
    figures: dict[str, object] = {}
    windows: list[tuple[str, float, float]] = []

    def sent_emails() -> set[str]:
        with psql_connection() as conn:
            rows = conn.execute(
                'SELECT to_ FROM (SELECT jsonb_array_elements_text("to") AS to_ '
                "FROM ops_outboundemail WHERE sent_at IS NOT NULL) AS t"
            ).fetchall()
        return {row[0] for row in rows}

    try:
        with (
            process(gunicorn, env, folder / "gunicorn.log"),
            process(beat_cmd, env, folder / "beat.log"),
        ):
            worker_log = folder / "worker.log"
            worker = subprocess.Popen(
                worker_cmd,
                cwd=ROOT,
                env=env,
                stdout=worker_log.open("ab"),
                stderr=subprocess.STDOUT,
            )
            ready = wait_until(lambda: b"ready." in worker_log.read_bytes(), seconds=90)
            up = wait_until(lambda: _answers(base), seconds=90)
            if not (ready and up):
                raise RuntimeError("the stack did not start; see " + str(folder))
            with Traffic(base, pages, threads=2) as warm:
                wait_until(lambda: len(warm.hits) >= 12, seconds=60)
            with (
                Traffic(base, pages, threads=4, timeout=30) as traffic,
                SignUps(base, "chaos.localhost") as signups,
            ):
                time.sleep(SETTLE)

                start = time.monotonic()
                redis.stop()
                time.sleep(FAULT)
                redis.start()
                windows.append(("redis stopped", start, time.monotonic()))
                time.sleep(SETTLE)

                start = time.monotonic()
                redis.freeze()
                time.sleep(FAULT)
                redis.thaw()
                windows.append(("redis frozen", start, time.monotonic()))
                time.sleep(SETTLE)

                start = time.monotonic()
                db_sh("stop")
                db_sh("start")
                windows.append(("postgresql restarted", start, time.monotonic()))
                time.sleep(SETTLE)

                before_kill = {address for _, address in signups.acknowledged}
                start = time.monotonic()
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                time.sleep(5)  # systemd's RestartSec
                worker = subprocess.Popen(
                    worker_cmd,
                    cwd=ROOT,
                    env=env,
                    stdout=worker_log.open("ab"),
                    stderr=subprocess.STDOUT,
                )
                windows.append(("worker killed", start, time.monotonic()))
                drained = wait_until(lambda: before_kill <= sent_emails(), seconds=120, every=1)
                figures["worker killed: seconds until earlier emails were all sent"] = (
                    round(time.monotonic() - start, 1) if drained else "not within 120 s"
                )
                time.sleep(SETTLE)

            acknowledged = {address for _, address in signups.acknowledged}
            # Emails of the last sign-ups: the beat relay and the worker finish them.
            wait_until(lambda: acknowledged <= sent_emails(), seconds=90, every=1)
            worker.terminate()
            worker.wait(timeout=30)
    finally:
        redis.stop()

    # Each fault's window runs until the next fault starts (the last: to the end).
    for index, (name, start, _end) in enumerate(windows):
        until = windows[index + 1][1] if index + 1 < len(windows) else float("inf")
        failures = traffic.failures(start, until)
        failed_signups = [t for t in signups.failed if start <= t < until]
        recovery = max((h.started + h.seconds - start for h in failures), default=0.0)
        figures[f"{name}: requests"] = traffic.count(start, until)
        figures[f"{name}: failed requests"] = len(failures)
        figures[f"{name}: failed sign-ups"] = len(failed_signups)
        figures[f"{name}: slowest request s"] = round(traffic.slowest(start, until), 2)
        figures[f"{name}: recovery s"] = round(recovery, 1)
    connections.close_all()  # opened before PostgreSQL restarted
    stored = set(
        User.objects.filter(email__endswith="@chaos.example.org").values_list("email", flat=True)
    )
    recipients = OutboundEmail.objects.filter(sent_at__isnull=False).values_list("to", flat=True)
    sent = {address for to in recipients for address in to}
    figures["requests in all"] = len(traffic.hits)
    figures["failed requests in all"] = len(traffic.failures())
    figures["acknowledged sign-ups"] = len(acknowledged)
    figures["lost writes (acknowledged sign-ups missing)"] = len(acknowledged - stored)
    figures["confirmation emails never sent"] = len(acknowledged - sent)
    figures["logs"] = str(folder)
    report("chaos", figures)


def _answers(base: str) -> bool:
    try:
        request = urllib.request.Request(base + "/healthz", headers={"Host": "localhost"})
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def psql_connection() -> Iterator[Any]:
    import psycopg

    port = os.environ.get("PGPORT", "55432")
    with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname={DB}") as conn:
        yield conn


if __name__ == "__main__":
    main()
