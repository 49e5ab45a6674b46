"""A real Redis and a real Celery worker: tasks run in the sender's territory schema,
retries back off, the last failure becomes a dead letter, email goes out once.

The worker is another process, so it only sees committed rows: this module writes
them outside the per-test transaction and deletes them at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from tenant_schemas_celery.app import CeleryApp

from shared_apps.ops.email import store_message
from shared_apps.ops.models import FailedTask, OutboundEmail
from tenants.models import Territory
from tests.servers import VENV_BIN, binary, port, python_env, running, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def committed(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Database access outside the rolled-back test transaction (autocommit); whatever
    the worker leaves in the public tables (emails, dead letters) is deleted after."""
    with django_db_blocker.unblock():
        last_failed = FailedTask.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_email = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            yield
        finally:
            FailedTask.objects.filter(pk__gt=last_failed).delete()
            OutboundEmail.objects.filter(pk__gt=last_email).delete()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    redis_server = binary("redis-server", "/usr/bin/redis-server")
    if redis_server is None:
        pytest.fail("redis-server is missing: `make test` installs it (scripts/apt/test.txt)")
    folder = tmp_path_factory.mktemp("redis")
    number = port("redis")
    command = [redis_server, "--port", str(number), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder)]
    with running(command, listen_port=number, log=folder / "redis.log"):
        yield f"redis://127.0.0.1:{number}/0"


@pytest.fixture(scope="module")
def worker(
    committed: None, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("worker")
    log, outbox = folder / "worker.log", folder / "outbox"
    env = python_env(
        REDIS_URL=redis_url,
        TASK_RETRY_BACKOFF_SECONDS="1",
        TASK_MAX_RETRIES="2",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(outbox),
        LOG_FORMAT="json",
    )
    command = [str(VENV_BIN / "celery"), "-A", "learning_platform", "worker", "--pool=solo"]
    command += ["-I", "tests.shared_apps.ops.worker_tasks", "--without-gossip"]
    command += ["--without-mingle", "--without-heartbeat", "-l", "INFO"]
    import subprocess

    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            if not wait_until(lambda: b"ready." in log.read_bytes(), seconds=60):
                pytest.fail("the worker did not start:\n" + log.read_text()[-3000:])
            yield {"log": log, "outbox": outbox}
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def producer(redis_url: str) -> CeleryApp:
    """What a web process does with REDIS_URL set: send to the broker, not run."""
    sender = CeleryApp("web", broker=redis_url)
    sender.conf.task_always_eager = False
    return sender


def expired_session() -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    return str(store.session_key)


def test_task_runs_in_the_senders_territory_schema(
    worker: dict[str, Path], producer: CeleryApp
) -> None:
    aurora, borealis = Territory.objects.get(slug="aurora"), Territory.objects.get(slug="borealis")
    with tenant_context(aurora):
        key_a = expired_session()
    with tenant_context(borealis):
        key_b = expired_session()
    try:
        with tenant_context(aurora):
            producer.send_task("shared_apps.core.tasks.clear_expired_sessions")

            def gone() -> bool:
                return not Session.objects.filter(session_key=key_a).exists()

            assert wait_until(gone, seconds=30), worker["log"].read_text()[-3000:]
        with tenant_context(borealis):
            assert Session.objects.filter(session_key=key_b).exists()
    finally:
        with tenant_context(aurora):
            Session.objects.filter(session_key=key_a).delete()
        with tenant_context(borealis):
            Session.objects.filter(session_key=key_b).delete()


def test_email_goes_out_once_through_the_worker(
    worker: dict[str, Path], producer: CeleryApp
) -> None:
    stored = store_message(
        EmailMessage(subject="Tavo ženklelis", body="Sveikiname!", to=["ada@example.org"]),
        language="lt",
        purpose="tests/worker",
    )
    try:
        producer.send_task("ops.send_email", args=[stored.pk])
        producer.send_task("ops.send_email", args=[stored.pk])  # a duplicate delivery

        def sent() -> bool:
            stored.refresh_from_db()
            return stored.sent_at is not None

        assert wait_until(sent, seconds=30), worker["log"].read_text()[-3000:]

        def both_done() -> bool:
            return worker["log"].read_text().count("ops.send_email") >= 4  # received+done x2

        wait_until(both_done, seconds=10)
        files = list(worker["outbox"].glob("*.log"))
        text = "".join(path.read_text() for path in files)
        assert text.count("Subject: =?utf-8?") + text.count("Subject: Tavo") == 1
    finally:
        with schema_context("public"):
            OutboundEmail.objects.filter(pk=stored.pk).delete()


def test_failing_task_backs_off_then_becomes_a_dead_letter(
    worker: dict[str, Path], producer: CeleryApp
) -> None:
    borealis = Territory.objects.get(slug="borealis")
    with tenant_context(borealis):
        result = producer.send_task("tests.worker.always_fails", args=[42])
    try:

        def dead() -> bool:
            return FailedTask.objects.filter(task_id=result.id).exists()

        assert wait_until(dead, seconds=60), worker["log"].read_text()[-3000:]
        failed = FailedTask.objects.get(task_id=result.id)
        assert failed.schema_name == "t_borealis"
        assert failed.retries == 2
        assert failed.args == [42]
        assert failed.message == "signing service unreachable for badge class 42"

        lines = [
            json.loads(line)
            for line in worker["log"].read_text().splitlines()
            if line.startswith("{")
        ]
        ours = [line for line in lines if line.get("request_id") == result.id]
        assert any("task failed after 2 retries" in line["message"] for line in ours), lines
        assert {line["territory"] for line in ours} == {"borealis"}
        retries = [line for line in ours if "Retry in" in line["message"]]
        assert len(retries) == 2
    finally:
        FailedTask.objects.filter(task_id=result.id).delete()
