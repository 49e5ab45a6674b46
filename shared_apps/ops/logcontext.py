"""Structured logs: every line carries the request id and the territory, and no
personal data (no email or IP addresses, no query strings).

Settings turn it on with LOG_FORMAT=json (deploy/ does); the default is plain text.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from shared_apps.ops.sentry import scrub_text

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
territory_var: contextvars.ContextVar[str] = contextvars.ContextVar("territory", default="")

# "…/search?q=ada&age=14" -> "…/search?[redacted]": query strings can hold anything.
QUERY_RE = re.compile(r"(?<=[^\s?])\?[^\s\"'<>]*=[^\s\"'<>]*")
# Extra fields a log call may add (anything else, e.g. Django's `request`, is dropped).
ALLOWED_EXTRA = ("task", "task_id", "status", "duration_ms", "method", "path", "schema")


def scrub_log_text(text: str) -> str:
    return str(scrub_text(QUERY_RE.sub("?[redacted]", text)))


class ContextFilter(logging.Filter):
    """Copies the request id and territory onto each record (plain format uses them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        record.territory = territory_var.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub_log_text(record.getMessage()),
            "request_id": request_id_var.get() or None,
            "territory": territory_var.get() or None,
        }
        for key in ALLOWED_EXTRA:
            value = record.__dict__.get(key)
            if isinstance(value, str | int | float):
                entry[key] = scrub_log_text(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = scrub_log_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
