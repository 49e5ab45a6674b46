"""What one request costs, independent of the machine's load: for the benchmarks only.

Enabled by ``BENCH_REQUEST_TIMING=1`` in the bench's server (settings.py adds this
middleware first then; never in production). Each response gets a ``Server-Timing``
header with:

- ``cpu``: CPU time of the worker process for the request (``time.process_time``,
  the kernel's per-process clock in nanoseconds: time spent waiting for the CPU while
  other processes run is not in it);
- ``dbcpu``: CPU time of the PostgreSQL backend serving the request's queries, read
  from ``/proc/<backend pid>/schedstat`` (on-CPU nanoseconds) around each query;
- ``db``: wall time of the queries as the worker saw them (load-dependent, for
  comparison), and ``q``: the number of queries.

On a machine shared by other sessions, wall times mostly measure the load; these are
what the request costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


def backend_cpu_ns(pid: int) -> int:
    """On-CPU time of a process in nanoseconds (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


class _QueryCost:
    """An execute wrapper: wall and backend CPU time of each query."""

    def __init__(self) -> None:
        self.queries = 0
        self.wall_ns = 0
        self.backend_ns = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        raw = context["connection"].connection
        pid = getattr(getattr(raw, "info", None), "backend_pid", 0) or 0
        before_cpu = backend_cpu_ns(pid) if pid else 0
        started = time.perf_counter_ns()
        try:
            return execute(sql, params, many, context)
        finally:
            self.wall_ns += time.perf_counter_ns() - started
            if pid:
                self.backend_ns += backend_cpu_ns(pid) - before_cpu
            self.queries += 1


class RequestCostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cost = _QueryCost()
        started = time.process_time_ns()
        wrappers = [connections[alias].execute_wrapper(cost) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        cpu_ms = (time.process_time_ns() - started) / 1e6
        response["Server-Timing"] = (
            f"cpu;dur={cpu_ms:.2f}, dbcpu;dur={cost.backend_ns / 1e6:.2f}, "
            f"db;dur={cost.wall_ns / 1e6:.2f}, q;dur={cost.queries}"
        )
        return response
