"""scripts/db.sh prepares the project's cluster for streaming replication (the hot
standby of tests/tenants/test_replica.py), clusters made before that included: a
setting that needs a restart is applied by `start` restarting the server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import PGBIN, ROOT, as_postgres, pg_connect, primary_port

pytestmark = pytest.mark.slow


@pytest.fixture
def scratch_cluster() -> Iterator[dict[str, str]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        number = sock.getsockname()[1]
    # Beside the project's cluster: a folder the PostgreSQL user can reach (db.sh).
    with pg_connect(primary_port()) as conn:
        row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    data = Path(row[0]).parent / f"pg-scratch-{number}"
    env = {**os.environ, "PGPORT": str(number), "PGDATA": str(data)}
    try:
        yield env
    finally:
        subprocess.run([ROOT / "scripts/db.sh", "stop"], env=env, check=False)
        shutil.rmtree(data, ignore_errors=True)
        Path(f"{data}.log").unlink(missing_ok=True)


def setting(env: dict[str, str], name: str) -> str:
    with pg_connect(int(env["PGPORT"])) as conn:
        row = conn.execute("SELECT setting FROM pg_settings WHERE name = %s", [name]).fetchone()
    assert row is not None
    return str(row[0])


def test_a_running_older_cluster_is_reconfigured_and_restarted(
    scratch_cluster: dict[str, str],
) -> None:
    env, script = scratch_cluster, ROOT / "scripts/db.sh"
    subprocess.run([script, "start"], env=env, check=True, capture_output=True)
    assert (setting(env, "wal_level"), setting(env, "max_wal_senders")) == ("replica", "10")

    # A cluster made before the replication settings, running with values a standby
    # cannot use.
    conf = Path(env["PGDATA"]) / "postgresql.conf"
    text = conf.read_text()
    conf.write_text(
        text[: text.index("# streaming replication")] + "wal_level = minimal\nmax_wal_senders = 0\n"
    )
    pg_ctl = [str(PGBIN / "pg_ctl"), "-D", env["PGDATA"], "-l", f"{env['PGDATA']}.log"]
    subprocess.run(as_postgres([*pg_ctl, "-m", "fast", "-w", "restart"]), check=True)
    assert setting(env, "wal_level") == "minimal"

    out = subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True)
    assert "restarted for the replication settings" in out.stdout
    assert (setting(env, "wal_level"), setting(env, "max_wal_senders")) == ("replica", "10")
    assert setting(env, "wal_keep_size") == "256"  # MB
    # Once configured, a start changes nothing.
    out = subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True)
    assert out.stdout == ""
