"""A real HTTP server on loopback that serves .ics files to the calendar import."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class CalendarServer:
    """Serves what a test puts in ``files`` (path -> (status, content type, body,
    extra headers)); ``hits`` lists the paths asked for."""

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


@contextmanager
def calendar_server(*, tls: tuple[str, str] | None = None) -> Iterator[CalendarServer]:
    """``tls``: (certificate, key) files: HTTPS, at https://localhost:<port>."""
    holder: dict[str, CalendarServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served = holder["server"]
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
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        base = f"https://localhost:{httpd.server_address[1]}"
    holder["server"] = CalendarServer(base=base)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["server"]
    finally:
        httpd.shutdown()
        httpd.server_close()


def ics_file(*events: tuple[str, str, str]) -> bytes:
    """A calendar of single events: (uid, summary, DTSTART in UTC as YYYYMMDDTHHMMSSZ)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Calendar//EN"]
    for uid, summary, start in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{start}",
            f"SUMMARY:{summary}",
            f"DTSTART:{start}",
            "END:VEVENT",
        ]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()
