"""Real Redis, real workers, a real SMTP server (aiosmtpd): what survives crashes.

- a task that kills its worker every time ends as a dead letter, not in a loop;
- a crashed worker's task runs again within the visibility timeout (seconds here, 45 s
  in production), while a live worker's long task is never handed out twice;
- an email whose mail server is down, or whose broker was down when it was written,
  is delivered once both are back (outbox relay), exactly once.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage
from django_tenants.utils import tenant_context
from tenant_schemas_celery.app import CeleryApp

from shared_apps.ops.email import store_message
from shared_apps.ops.models import FailedTask, OutboundEmail, TaskDelivery
from tenants.models import Territory
from tests.servers import VENV_BIN, RedisServer, port, python_env, stop, wait_until

pytestmark = pytest.mark.slow
VISIBILITY = 4  # seconds; production: 45 (settings.CELERY_BROKER_TRANSPORT_OPTIONS)


class Sink:
    """Collects every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"

    def subjects(self) -> list[str]:
        return [
            str(make_header(decode_header(message_from_bytes(raw)["Subject"])))
            for raw in self.messages
        ]


@contextmanager
def smtp_server(sink: Sink) -> Iterator[None]:
    controller = Controller(sink, hostname="127.0.0.1", port=port("smtp"))
    controller.start()
    try:
        yield
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def committed(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        last_failed = FailedTask.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_email = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            yield
        finally:
            FailedTask.objects.filter(pk__gt=last_failed).delete()
            OutboundEmail.objects.filter(pk__gt=last_email).delete()
            TaskDelivery.objects.all().delete()


@pytest.fixture(scope="module")
def redis(committed: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"), port("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def producer(redis: RedisServer) -> CeleryApp:
    sender = CeleryApp("web", broker=redis.url)
    sender.conf.task_always_eager = False
    return sender


@contextmanager
def worker(
    redis: RedisServer, log: Path, *, pool: str = "solo", concurrency: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    env = python_env(
        REDIS_URL=redis.url,
        BROKER_VISIBILITY_TIMEOUT=str(VISIBILITY),
        TASK_MAX_DELIVERIES="2",
        TASK_RETRY_BACKOFF_SECONDS="1",
        TASK_MAX_RETRIES="1",
        OUTBOX_SETTLE_SECONDS="0",
        OUTBOX_EMAIL_REQUEUE_SECONDS="1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port("smtp")),
        EMAIL_USE_TLS="0",
        EMAIL_TIMEOUT="5",
    )
    command = [str(VENV_BIN / "celery"), "-A", "learning_platform", "worker", f"--pool={pool}"]
    command += [f"--concurrency={concurrency}", "-I", "tests.shared_apps.ops.worker_tasks"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"]
    start = log.stat().st_size if log.exists() else 0
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        if not wait_until(lambda: b"ready." in log.read_bytes()[start:], seconds=60):
            pytest.fail("the worker did not start:\n" + log.read_text()[-3000:])
        yield process
    finally:
        stop(process)


@pytest.fixture(scope="module")
def main_worker(redis: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One prefork worker with two processes for most tests (starting one takes
    seconds): its log."""
    log = tmp_path_factory.mktemp("main-worker") / "worker.log"
    with worker(redis, log, pool="prefork", concurrency=2):
        yield log


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_a_crashed_workers_task_runs_again_within_the_visibility_timeout(
    redis: RedisServer, producer: CeleryApp, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    marker, log = tmp_path / "marker", tmp_path / "worker.log"
    with worker(redis, log) as first:
        producer.send_task("tests.worker.takes_its_time", args=[str(marker), 3])
        assert wait_until(lambda: lines(marker) == ["started"], seconds=30), log.read_text()
        first.send_signal(signal.SIGKILL)  # the main worker process, mid-task
        first.wait()
        killed = time.monotonic()
    # Another worker (started now, as systemd would restart this one) takes it over.
    main_log: Path = request.getfixturevalue("main_worker")
    assert wait_until(lambda: lines(marker).count("finished") == 1, seconds=60), (
        main_log.read_text()[-3000:]
    )
    recovered = time.monotonic() - killed
    assert lines(marker) == ["started", "started", "finished"]
    assert recovered < VISIBILITY + 15, recovered


def test_a_task_that_kills_its_worker_becomes_a_dead_letter(
    main_worker: Path, producer: CeleryApp, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    borealis = Territory.objects.get(slug="borealis")
    with tenant_context(borealis):
        result = producer.send_task("tests.worker.kills_its_worker", args=[str(marker)])

    def dead() -> bool:
        return FailedTask.objects.filter(task_id=result.id).exists()

    assert wait_until(dead, seconds=60), main_worker.read_text()[-3000:]
    failed = FailedTask.objects.get(task_id=result.id)
    assert failed.exception_type.endswith("WorkerLostRepeatedly")
    assert failed.schema_name == "t_borealis"
    time.sleep(1)  # no further delivery after the dead letter
    assert lines(marker) == ["delivered", "delivered"]


def test_a_live_workers_long_task_is_never_handed_out_twice(
    main_worker: Path, producer: CeleryApp, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    # Three visibility timeouts long: without renewal the worker's idle second process
    # would be handed the same task again.
    producer.send_task("tests.worker.takes_its_time", args=[str(marker), VISIBILITY * 3])
    assert wait_until(lambda: "finished" in lines(marker), seconds=60), main_worker.read_text()
    time.sleep(2)
    assert lines(marker) == ["started", "finished"]


def test_email_waits_out_a_mail_server_and_a_broker_outage(
    main_worker: Path, producer: CeleryApp
) -> None:
    sink, log = Sink(), main_worker
    # 1. The mail server is down: the task retries, then gives up (a dead letter).
    down = store_message(
        EmailMessage(subject="Mail server down", body="1", to=["ada@example.org"]),
        language="en",
        purpose="tests/outage",
    )
    producer.send_task("ops.send_email", args=[down.pk])
    assert wait_until(lambda: "Retry in" in log.read_text(), seconds=30), log.read_text()
    # 2. The broker was down when this one was written: it never reached Redis.
    never_queued = store_message(
        EmailMessage(subject="Broker was down", body="2", to=["bea@example.org"]),
        language="en",
        purpose="tests/outage",
    )
    with smtp_server(sink):
        # The beat entry's work: hand over what is unsent (the relay).
        producer.send_task("ops.relay_outbox")

        def delivered() -> bool:
            return sorted(sink.subjects()) == ["Broker was down", "Mail server down"]

        assert wait_until(delivered, seconds=60), (sink.subjects(), log.read_text()[-3000:])
        producer.send_task("ops.relay_outbox")  # again: nothing is sent twice
        time.sleep(3)
    assert sorted(sink.subjects()) == ["Broker was down", "Mail server down"]
    for email in (down, never_queued):
        email.refresh_from_db()
        assert email.sent_at is not None
