"""A live server with committed badge data, for verifiers that fetch over HTTP.

pytest-django's live_server/transactional_db flush the public tables (and broke later
tests of this suite), so this does it by hand: a dedicated territory is provisioned
and filled with committed rows in the test database, a real gunicorn serves that
database on a loopback port, and everything is dropped again at the end (also if an
earlier run died half-way: leftovers are removed first).
"""

from __future__ import annotations

import contextlib
import socket
import urllib.request
from collections.abc import Iterator

from django.contrib.gis.geos import Point
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from shared_apps.audit.models import AuditEntry
from shared_apps.core.db import tenant_connection
from tenants.actions import provision_territory
from tenants.models import Territory
from tests.servers import CONFORMANCE_PORTS, app_env, app_server, is_test_database

SLUG = "conformance"


def free_port() -> int:
    for port in CONFORMANCE_PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {CONFORMANCE_PORTS} for the live test server")


def drop_territory() -> None:
    with schema_context("public"):
        territory = Territory.objects.filter(slug=SLUG).first()
        if territory is not None:
            AuditEntry.objects.filter(territory=territory).delete()
            territory.delete(force_drop=True)


@contextlib.contextmanager
def live_territory() -> Iterator[tuple[Territory, int]]:
    """A committed territory whose ids carry the live server's port."""
    # Committed writes: make sure they can only ever go to a test database.
    name = connection.settings_dict["NAME"]
    if not is_test_database(str(name)):
        raise RuntimeError(f"refusing to write committed rows to {name!r}")
    drop_territory()
    port = free_port()
    with override_settings(PLATFORM_PORT=str(port)):
        territory = provision_territory(
            name="Conformance",
            slug=SLUG,
            country="LT",
            default_language="en",
            timezone_name="Europe/Vilnius",
            map_center=Point(25.28, 54.69, srid=4326),
            status=Territory.Status.ACTIVE,
        )
        try:
            yield territory, port
        finally:
            tenant_connection().set_schema_to_public()
            drop_territory()


@contextlib.contextmanager
def gunicorn(port: int) -> Iterator[str]:
    with app_server(app_env(port=port), port=port) as base:
        yield base


def fetch(base: str, url: str, accept: str = "application/json") -> tuple[int, bytes]:
    """GET an absolute URL of the live network (its host goes in the Host header)."""
    _scheme, _sep, rest = url.partition("://")
    host, _sep, path = rest.partition("/")
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{base}/{path}", headers={"Host": host, "Accept": accept}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
