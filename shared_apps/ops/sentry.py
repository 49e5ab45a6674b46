"""Error reporting with sentry-sdk, with personal data scrubbed before it leaves.

Most users are minors: an error report carries the territory and the request path,
never emails, names, cookies, query strings, bodies, IP addresses or user ids.
"""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# IPv4 addresses (a visitor's address is personal data); IPv6 with at least 3 groups.
IP_RE = re.compile(
    r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}(?![\w:])"
)
REDACTED = "[redacted]"
# Request parts that may hold personal data, dropped entirely.
DROPPED_REQUEST_KEYS = ("cookies", "data", "query_string", "env")
SAFE_HEADERS = {"host", "user-agent", "accept", "accept-language", "content-type"}


def scrub_text(value: Any) -> Any:
    """Replace email and IP addresses in a string, or in the strings of a structure."""
    if isinstance(value, str):
        return IP_RE.sub(REDACTED, EMAIL_RE.sub(REDACTED, value))
    if isinstance(value, dict):
        return {key: scrub_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_text(item) for item in value]
    return value


def scrub_event(event: Event, hint: Hint | None = None) -> Event | None:
    """Remove personal data from an event; used as Sentry's before_send."""
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        for key in DROPPED_REQUEST_KEYS:
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in SAFE_HEADERS
            }
    # Local variables of frames can hold anything (a form's cleaned email, a user).
    for exception in (event.get("exception") or {}).get("values", []) or []:
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    # Whatever is left (messages, exception values, breadcrumbs, source lines): no
    # email or IP address survives, wherever it hides.
    scrubbed: Event = scrub_text(event)
    return scrubbed


def init_sentry(dsn: str, *, environment: str, transport: Any = None) -> bool:
    """Initialise Sentry when a DSN is configured; returns whether it was."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Collect nothing personal in the first place; scrub_event is the second net.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        before_send=scrub_event,
        traces_sample_rate=0.0,
        transport=transport,
    )
    return True
