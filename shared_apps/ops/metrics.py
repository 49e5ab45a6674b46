"""Prometheus metrics: counters kept by the processes, gauges read from the database
at scrape time.

Under gunicorn (several processes) set PROMETHEUS_MULTIPROC_DIR to an empty directory
shared by the processes of one host (deploy/ does): the scrape then adds up every
process's counters. Served on /metrics to allowed networks or a bearer token only.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from shared_apps.core.db import tenant_connection
from shared_apps.ops.models import FailedTask, OutboundEmail
from tenants.models import Territory

HTTP_REQUESTS = Counter(
    "col_http_requests_total", "HTTP responses sent", ["site", "method", "status"]
)
HTTP_DURATION = Histogram(
    "col_http_request_duration_seconds",
    "Time to build a response",
    ["site"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TASKS = Counter("col_tasks_total", "Background tasks finished", ["task", "outcome"])
# Alarm: a sign-up found no pre-migrated standby schema (tenants.pool); alert on any rise.
STANDBY_POOL_EMPTY = Counter(
    "col_standby_pool_empty_total", "Provisionings that found the standby pool empty"
)


class DatabaseCollector(Collector):
    """Figures that live in the database, read when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from tenants.pool import (
            ready_standby_count,  # cycle: tenants.pool imports this module at load
        )

        territories = GaugeMetricFamily(
            "col_territories", "Territories by status", labels=["status"]
        )
        dead = GaugeMetricFamily("col_failed_tasks", "Dead letters waiting for staff")
        unsent = GaugeMetricFamily("col_unsent_emails", "Emails stored but not sent yet")
        standbys = GaugeMetricFamily(
            "col_standby_schemas_ready", "Standby schemas ready to be claimed by a sign-up"
        )
        try:
            tenant_connection().set_schema_to_public()
            counts = dict(
                Territory.objects.values_list("status").annotate(n=Count("pk")).order_by()
            )
            for status in Territory.Status.values:
                territories.add_metric([status], counts.get(status, 0))
            dead.add_metric([], FailedTask.objects.filter(state=FailedTask.State.FAILED).count())
            unsent.add_metric([], OutboundEmail.objects.filter(sent_at__isnull=True).count())
            standbys.add_metric([], ready_standby_count())
        except DatabaseError:
            return
        yield territories
        yield dead
        yield unsent
        yield standbys


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        MultiProcessCollector(combined)
    else:
        combined = CollectorRegistry()
        for collector in (HTTP_REQUESTS, HTTP_DURATION, TASKS, STANDBY_POOL_EMPTY):
            combined.register(collector)
    combined.register(DatabaseCollector())
    return combined


def may_scrape(request: HttpRequest) -> bool:
    """A bearer token (METRICS_TOKEN) or a direct connection from an allowed network.

    A request that came through the proxy (X-Forwarded-For) never counts as local:
    behind nginx every client would otherwise look like 127.0.0.1.
    """
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    if "X-Forwarded-For" in request.headers or "X-Real-Ip" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_NETWORKS
    )


def metrics_response(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return HttpResponse(status=404)
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


__all__ = ["HTTP_DURATION", "HTTP_REQUESTS", "STANDBY_POOL_EMPTY", "TASKS", "metrics_response"]
