"""Worker-level recovery for the Redis broker (loaded by shared_apps/ops/celery_app.py).

Redis has no acknowledgements: kombu keeps each message a worker holds (running, or
waiting for its retry countdown) in an ``unacked`` index with the time it was handed
out, and gives it to another worker once that time is older than the visibility
timeout. A long visibility timeout (the usual 3,600 s) makes the tasks of a crashed
worker wait an hour; a short one (settings: 60 s) would hand a long task to a second
worker while the first still runs it.

So every worker renews the hand-out time of the messages it holds, every third of the
visibility timeout: a live worker's messages never look abandoned, however long they
take, and a dead worker's are handed out again one visibility timeout after it died.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from celery import bootsteps

logger = logging.getLogger(__name__)


class HeldMessagesLease(bootsteps.StartStopStep):
    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self._stop: threading.Event | None = None

    def start(self, c: Any) -> None:
        if not str(c.app.conf.broker_url or "").startswith(("redis://", "rediss://")):
            return
        self._stop = threading.Event()
        thread = threading.Thread(
            target=self._run, args=(c, self._stop), name="held-messages-lease", daemon=True
        )
        thread.start()
        # Whatever requests left in the outbox while no worker (or broker) was up.
        c.app.send_task("ops.relay_outbox")

    def stop(self, c: Any) -> None:
        if self._stop is not None:
            self._stop.set()

    shutdown = stop

    def _run(self, c: Any, stop: threading.Event) -> None:
        options = c.app.conf.broker_transport_options or {}
        interval = max(1.0, float(options.get("visibility_timeout", 3600)) / 3)
        client = redis.Redis.from_url(
            c.app.conf.broker_url, socket_timeout=5, socket_connect_timeout=5
        )
        while not stop.wait(interval):
            try:
                channel = c.task_consumer.channel
                # Copied at once: the event loop adds and removes tags meanwhile.
                tags = list(channel.qos._delivered.copy())
                if tags:
                    now = time.time()
                    # XX: renew only; a tag acknowledged meanwhile must not come back.
                    client.zadd(channel.unacked_index_key, dict.fromkeys(tags, now), xx=True)
            except Exception as error:
                # The broker is away: kombu reconnects, and the next round renews.
                logger.warning("could not renew held messages: %s", type(error).__name__)
