"""Tasks run in the schema of the territory that sent them."""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.models import Territory
from tenants.sessions import clear_expired_sessions, clear_expired_sessions_everywhere


def expired_session() -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    return str(store.session_key)


def exists(key: str) -> bool:
    return Session.objects.filter(session_key=key).exists()


def test_task_sent_from_a_territory_runs_in_its_schema(
    territory_a: Territory, territory_b: Territory
) -> None:
    with tenant_context(territory_a):
        key_a = expired_session()
    with tenant_context(territory_b):
        key_b = expired_session()

    with tenant_context(territory_a):
        clear_expired_sessions.delay()
        assert not exists(key_a)
    with tenant_context(territory_b):
        assert exists(key_b)  # B's sessions were not touched by A's task


def test_fan_out_reaches_every_territory(territory_a: Territory, territory_b: Territory) -> None:
    with tenant_context(territory_a):
        key_a = expired_session()
    with tenant_context(territory_b):
        key_b = expired_session()
    key_public = expired_session()

    assert clear_expired_sessions_everywhere.delay().get() >= 2

    with tenant_context(territory_a):
        assert not exists(key_a)
    with tenant_context(territory_b):
        assert not exists(key_b)
    assert not exists(key_public)
