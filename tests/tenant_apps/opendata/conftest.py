from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

# The catalogue's fixtures (providers of aurora and borealis, a venue, clients).
from tests.tenant_apps.catalogue.conftest import english, provider_a, provider_b, venue_a  # noqa: F401


@dataclass
class CalendarServer:
    """A real HTTP server on loopback serving what a test puts in ``files``
    (path -> (status, content type, body, extra headers))."""

    base: str
    files: dict[str, tuple[int, str, bytes, dict[str, str]]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def serve(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "text/calendar",
        headers: dict[str, str] | None = None,
    ) -> str:
        self.files[path] = (status, content_type, body, headers or {})
        return f"{self.base}{path}"


@pytest.fixture
def calendar_server(settings: Any) -> Iterator[CalendarServer]:
    settings.CALENDAR_ALLOW_PRIVATE_ADDRESSES = True
    server_ref: dict[str, CalendarServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served = server_ref["s"]
            served.hits.append(self.path)
            status, content_type, body, headers = served.files.get(
                self.path, (404, "text/plain", b"not found", {})
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_ref["s"] = CalendarServer(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_ref["s"]
    finally:
        httpd.shutdown()
        httpd.server_close()
