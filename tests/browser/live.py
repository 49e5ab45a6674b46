"""A live territory for the browser tests: committed demo data, a real gunicorn, Chromium.

pytest-django's live_server/transactional_db flush the public tables (../shared/GUIDE.md),
so, as the Open Badges conformance tests do, a dedicated territory is provisioned with
committed rows in the test database, filled by the same demo steps `make run` uses
(each app's demo.py: catalogue, badges, and whatever later apps register), served by
gunicorn on a free loopback port, and dropped again at the end (leftovers of a run that
died half-way are removed first).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client, override_settings
from django.utils.module_loading import autodiscover_modules
from django_tenants.utils import schema_context, tenant_context

from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.core.db import tenant_connection
from shared_apps.core.demo import registered_steps
from shared_apps.network.demo import DEMO_ROLES
from shared_apps.ops.models import OutboundEmail
from tenants.actions import provision_territory
from tenants.models import Territory
from tests.servers import app_env, app_server, free_port, is_test_database

ROOT = Path(__file__).resolve().parents[2]
SLUG = "lumen"
PASSWORD = "a11y walk-through 2026"
# Signed-in roles of the audit: the demo roles of the territory (learner, provider
# staff, territory admin); "anonymous" is a visitor.
ROLES = ("anonymous", *DEMO_ROLES)


def email_of(role: str) -> str:
    return f"{role}.{SLUG}@example.org"


USER_EMAILS = [email_of(role) for role in (*DEMO_ROLES, "coordinator")]


@dataclass
class LiveSite:
    port: int
    territory: Territory
    users: dict[str, User]
    # Session cookies per (role, site): made once, reused by every browser context.
    sessions: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def network(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def base(self) -> str:
        return f"http://{SLUG}.localhost:{self.port}"

    def url(self, site: str, path: str) -> str:
        return (self.base if site == "territory" else self.network) + path

    def session_cookie(self, role: str, site: str) -> str:
        """A committed session of the role's user on the territory or network host
        (territory sessions live in the territory's schema)."""
        key = (role, site)
        if key not in self.sessions:
            client = Client()
            if site == "territory":
                with tenant_context(self.territory):
                    client.force_login(self.users[role])
            else:
                with schema_context("public"):
                    client.force_login(self.users[role])
            self.sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return self.sessions[key]


def drop_leftovers() -> None:
    with schema_context("public"):
        territory = Territory.objects.filter(slug=SLUG).first()
        if territory is not None:
            AuditEntry.objects.filter(territory=territory).delete()
            territory.delete(force_drop=True)
        User.objects.filter(email__in=USER_EMAILS).delete()
        # The demo's awards and reviews email their people (notifications): committed
        # outbox rows that later tests of the outbox must not find.
        for address in USER_EMAILS:
            OutboundEmail.objects.filter(to__contains=[address]).delete()


def _user(email: str) -> User:
    user = User.objects.create(email=email)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@contextlib.contextmanager
def live_territory(port: int) -> Iterator[tuple[Territory, dict[str, User]]]:
    """The territory "lumen" (Lithuanian and English) with the demo content of every app."""
    name = str(connection.settings_dict["NAME"])
    if not (is_test_database(name) or name.startswith("cities_bench_")):
        raise RuntimeError(f"refusing to write committed rows to {name!r}")
    drop_leftovers()
    with override_settings(PLATFORM_PORT=str(port)):
        try:
            with schema_context("public"):
                users = {role: _user(email_of(role)) for role in (*DEMO_ROLES, "coordinator")}
                territory = provision_territory(
                    name="Lumen",
                    slug=SLUG,
                    country="LT",
                    default_language="lt",
                    languages=["en"],
                    timezone_name="Europe/Vilnius",
                    map_center=Point(25.28, 54.69, srid=4326),
                    status=Territory.Status.ACTIVE,
                )
                for role_key, role in DEMO_ROLES.items():
                    grant_membership(user=users[role_key], territory=territory, role=role)
            # The demo steps' own names for the users: "<role>.<slug>" and "coordinator".
            demo_users = {f"{r}.{SLUG}": u for r, u in users.items() if r != "coordinator"}
            demo_users["coordinator"] = users["coordinator"]
            autodiscover_modules("demo")
            for step in registered_steps():
                if step.scope == "territory":
                    with tenant_context(territory):
                        step.run(territory, demo_users)
            tenant_connection().set_schema_to_public()
            yield territory, users
        finally:
            tenant_connection().set_schema_to_public()
            drop_leftovers()


@contextlib.contextmanager
def gunicorn(port: int) -> Iterator[None]:
    """The production server (DEBUG off) on the test database."""
    env = app_env(
        port=port,
        MAP_TILE_URL="",  # no tiles from the internet in tests
        ACCOUNT_EMAIL_VERIFICATION="optional",
        # The calendar import fetches .ics files from a test server on loopback.
        CALENDAR_ALLOW_PRIVATE_ADDRESSES="1",
    )
    # Kept after the run, shown when the server does not start.
    log = ROOT / ".data" / "browser-tests-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    with app_server(env, port=port, log=log):
        yield


@contextlib.contextmanager
def live_site() -> Iterator[LiveSite]:
    port = free_port()
    with live_territory(port) as (territory, users), gunicorn(port):
        yield LiveSite(port=port, territory=territory, users=users)
