"""The test network: two territories with named users, created once per test database.

    aurora (LT, lt+en)                 borealis (SI, sl+en)
      ada    learner                     bea    learner
      alan   provider staff              boris  provider staff
      anna   territory admin             bruno  territory admin
    cora  network coordinator of aurora only
    pat   platform staff

The territories and users are created in the test database once and kept between
runs (--reuse-db); every test runs inside a transaction that is rolled back. Tests
fetch fresh objects through the fixtures below, so nothing leaks between tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context, tenant_context

from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import Coordinator, Membership, User
from shared_apps.core.db import tenant_connection
from tenant_apps.demand.actions import discard_search_log
from tenants import pool, release
from tenants.actions import provision_territory
from tenants.middleware import forget_host_memo
from tenants.models import Territory

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"
# Standby schemas kept in the test database: tests that provision (inside their
# rolled-back transaction) claim one in milliseconds, and the claim rolls back too.
TEST_POOL_SIZE = 3
# The pool is refilled here, once per session, never by a background thread racing
# the tests.
settings.STANDBY_REFILL_AFTER_PROVISIONING = False


@dataclass(frozen=True)
class TestTerritory:
    slug: str
    name: str
    country: str
    language: str
    timezone: str
    lat: float
    lon: float
    users: dict[str, str]  # name -> role


TEST_TERRITORIES = [
    TestTerritory(
        "aurora",
        "Aurora",
        "LT",
        "lt",
        "Europe/Vilnius",
        54.69,
        25.28,
        {"ada": "learner", "alan": "provider_staff", "anna": "territory_admin"},
    ),
    TestTerritory(
        "borealis",
        "Borealis",
        "SI",
        "sl",
        "Europe/Ljubljana",
        46.06,
        14.51,
        {"bea": "learner", "boris": "provider_staff", "bruno": "territory_admin"},
    ),
]
NETWORK_USERS = {"cora": {}, "pat": {"is_staff": True, "is_superuser": True}}


def email_of(name: str) -> str:
    return f"{name}@example.org"


def _user(name: str, **extra: object) -> User:
    user, created = User.objects.get_or_create(email=email_of(name), defaults=extra)
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def build_test_network() -> None:
    """Idempotent: with --reuse-db the network from an earlier run is kept."""
    with schema_context("public"):
        for spec in TEST_TERRITORIES:
            territory = Territory.objects.filter(slug=spec.slug).first()
            if territory is None:
                territory = provision_territory(
                    name=spec.name,
                    slug=spec.slug,
                    country=spec.country,
                    default_language=spec.language,
                    languages=["en"],
                    timezone_name=spec.timezone,
                    map_center=Point(spec.lon, spec.lat, srid=4326),
                    status=Territory.Status.ACTIVE,
                )
            for name, role in spec.users.items():
                grant_membership(user=_user(name), territory=territory, role=role)
        for name, extra in NETWORK_USERS.items():
            _user(name, **extra)
        coordinator, _ = Coordinator.objects.get_or_create(
            user=User.objects.get(email=email_of("cora"))
        )
        coordinator.territories.set([Territory.objects.get(slug="aurora")])


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist's ``--dist loadgroup`` (make test): all the tests of a file run
    in one worker, so a module's servers (Redis, gunicorn, nginx, a standby) start once,
    and the whole browser package in one worker, so it builds its live site and launches
    Chromium once."""
    if config.getoption("dist", "no") != "loadgroup":
        return
    browser = Path(__file__).parent / "browser"
    for item in items:
        path = Path(item.path)
        group = browser if path.is_relative_to(browser) else path
        item.add_marker(pytest.mark.xdist_group(str(group.relative_to(ROOT))))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _ensure_test_database()
        # A reused test database was migrated by migrate_schemas, which leaves the
        # standby schemas alone: bring them up to date the way a release does.
        pool.migrate_standby_schemas()
        pool.refill_pool(TEST_POOL_SIZE)
        build_test_network()
        pool.refill_pool(TEST_POOL_SIZE)
        # Territories of a reused database recorded as behind the code (new migrations
        # since) are brought up to date, as a release would.
        release.migrate_territories()
        # ...and given what features set up in each territory (tenants.setup), as the
        # release's ensure_territory_setup does.
        call_command("ensure_territory_setup", verbosity=0)


def _ensure_test_database() -> None:
    """pytest-django sets the test database up only when a collected test asks for
    ``db``; integration tests that write committed rows for a server process (a
    worker, gunicorn) ask for ``django_db_setup`` alone, so set it up for them too."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases

    if connection.settings_dict["NAME"] != settings.DATABASES["default"]["TEST"]["NAME"]:
        setup_databases(verbosity=0, interactive=False, aliases={"default": {}}, keepdb=True)


@pytest.fixture(autouse=True)
def _clean_slate() -> Iterator[None]:
    """Each test starts and ends in the public schema with an empty cache: the
    database is rolled back after each test, and cached rows must not outlive it."""
    cache.clear()
    forget_host_memo()
    discard_search_log()
    translation.deactivate()
    tenant_connection().set_schema_to_public()
    yield
    tenant_connection().set_schema_to_public()
    translation.deactivate()
    cache.clear()
    forget_host_memo()
    discard_search_log()


@pytest.fixture(autouse=True)
def _credentials_conform_to_ob3_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every OpenBadgeCredential any test signs must pass 1EdTech's OB 3.0 JSON Schema
    (tests/tenant_apps/badges/fixtures/)."""
    from tenant_apps.badges import signing
    from tests.tenant_apps.badges.ob3_schema import assert_conforms

    sign_one, sign_many = signing.sign_document, signing.sign_documents

    def checked_one(*args: object, **kwargs: object) -> dict[str, object]:
        signed = sign_one(*args, **kwargs)  # type: ignore[arg-type]
        assert_conforms(signed)
        return signed

    def checked_many(*args: object, **kwargs: object) -> list[dict[str, object]]:
        signed = sign_many(*args, **kwargs)  # type: ignore[arg-type]
        for document in signed:
            assert_conforms(document)
        return signed

    monkeypatch.setattr(signing, "sign_document", checked_one)
    monkeypatch.setattr(signing, "sign_documents", checked_many)


@pytest.fixture
def territory_a(db: None) -> Territory:
    return Territory.objects.get(slug="aurora")


@pytest.fixture
def territory_b(db: None) -> Territory:
    return Territory.objects.get(slug="borealis")


@pytest.fixture
def user(db: None) -> Callable[[str], User]:
    """``user("anna")``: a named user of the test network, fetched fresh."""

    def get(name: str) -> User:
        return User.objects.get(email=email_of(name))

    return get


@pytest.fixture
def membership(db: None) -> Callable[[str, Territory], Membership]:
    def get(name: str, territory: Territory) -> Membership:
        return Membership.objects.get(user__email=email_of(name), territory=territory)

    return get


class HostClient(Client):
    """A test client bound to one host; signs in the way the host's site would."""

    def __init__(self, host: str, territory: Territory | None = None, **kwargs: object) -> None:
        super().__init__(HTTP_HOST=host, **kwargs)  # type: ignore[arg-type]
        self.territory = territory

    def sign_in(self, user: User) -> None:
        """A session for this host only (territory sessions live in its schema)."""
        if self.territory is None:
            self.force_login(user)
            return
        with tenant_context(self.territory):
            self.force_login(user)


ClientFor = Callable[..., HostClient]


@pytest.fixture
def client_for() -> ClientFor:
    def make(territory: Territory, **kwargs: object) -> HostClient:
        return HostClient(territory.host, territory, **kwargs)

    return make


@pytest.fixture
def network_client() -> HostClient:
    return HostClient("localhost")
