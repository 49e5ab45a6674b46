"""Request plumbing for running the platform: request ids, log context, metrics and
the probe endpoints, answered before the host is resolved (they work on any host
and when the database is down)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import sentry_sdk
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from shared_apps.ops.logcontext import request_id_var, territory_var
from shared_apps.ops.metrics import HTTP_DURATION, HTTP_REQUESTS, metrics_response
from shared_apps.ops.probes import liveness, readiness

Handler = Callable[[HttpRequest], HttpResponse]
# nginx sends $request_id (32 hex); accept any similar token, never arbitrary text.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/livez": lambda request: liveness(),
    "/readyz": lambda request: readiness(),
    "/metrics": metrics_response,
}


class OperationsMiddleware:
    """First in the chain: gives the request an id (the proxy's, or a new one), answers
    the probes and /metrics, and counts responses."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Not reset when this returns: Django logs 4xx/5xx responses after the whole
        # middleware chain (see _forget_request below).
        request_id_var.set(request_id)
        territory_var.set("")
        # An error report can then be found from the log lines of the same request.
        sentry_sdk.get_isolation_scope().set_tag("request_id", request_id)
        probe = PROBES.get(request.path)
        if probe is not None:
            response = probe(request)
            response["Cache-Control"] = "no-store"
            return response
        started = time.perf_counter()
        response = self.get_response(request)
        territory = getattr(request, "territory", None)
        site = "territory" if territory is not None else "network"
        HTTP_DURATION.labels(site).observe(time.perf_counter() - started)
        HTTP_REQUESTS.labels(site, request.method or "", str(response.status_code)).inc()
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished, dispatch_uid="ops_forget_request")
def _forget_request(**kwargs: Any) -> None:
    request_id_var.set("")
    territory_var.set("")


class LogContextMiddleware:
    """After TerritoryMiddleware: log lines of this request name its territory."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        territory = getattr(request, "territory", None)
        territory_var.set(territory.slug if territory is not None else "network")
        return self.get_response(request)
