"""Data rights: every app says what it holds about an account, and how to erase it.

Downloading one's data and deleting one's account must cover every table of every app
in every schema. Rather than one function knowing all the apps, each app registers a
handler in its ``AppConfig.ready()``:

    from shared_apps.accounts import data_rights

    data_rights.register(
        "playlists",                 # unique key; also the key in the export
        scope=data_rights.TERRITORY, # or data_rights.PUBLIC
        exporter=export_playlists,   # (user) -> JSON-serialisable dict, or None
        eraser=erase_playlists,      # (user) -> None
    )

- ``PUBLIC`` handlers run once, in the public schema.
- ``TERRITORY`` handlers run once in the schema of every territory that may hold rows
  about the account: the public schema knows them (memberships, past or present,
  footprints of every row written about the account, badges in the backpack index;
  shared_apps.accounts.footprints), so the work does not grow with the number of
  territories. The schema is already set when they run; ``django.db.connection.tenant``
  is the territory.
- Exporters return facts about the person (what they saved, earned, wrote), never other
  people's personal data. Tenant exports are listed under the territory's slug.
- Erasers delete the person's rows, or anonymise rows that must stay for others (an
  aggregate count, an issuer's record that a badge was awarded). They must not rely on
  the account row: ``user.pk`` and ``user.email`` are still set when they run, and the
  account itself is deleted after every eraser has run.
- Everything runs in one transaction: all schemas are in one database, so a failing
  eraser leaves every schema as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from shared_apps.accounts.footprints import territory_ids_of
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from tenants.models import Territory

PUBLIC = "public"
TERRITORY = "territory"

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class Handler:
    key: str
    scope: str
    exporter: Exporter | None
    eraser: Eraser | None


_handlers: dict[str, Handler] = {}


def register(
    key: str, *, scope: str, exporter: Exporter | None = None, eraser: Eraser | None = None
) -> None:
    if scope not in (PUBLIC, TERRITORY):
        raise ValueError(f"unknown scope {scope!r}")
    _handlers[key] = Handler(key=key, scope=scope, exporter=exporter, eraser=eraser)


def account_emails(user: Any) -> list[str]:
    """Every address of the account (lower-cased), for handlers that find rows by email."""
    addresses = {user.email.lower()} if user.email else set()
    addresses |= {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return sorted(addresses)


def handlers(scope: str) -> list[Handler]:
    return sorted((h for h in _handlers.values() if h.scope == scope), key=lambda h: h.key)


class DeletionRefused(Exception):
    """The account cannot be deleted now (the message says why, for the person)."""


# Apps may refuse a deletion (e.g. the signatory of a territory's contract); each
# check returns a message or None.
_refusals: list[Callable[[Any], str | None]] = []


def register_refusal(check: Callable[[Any], str | None]) -> None:
    _refusals.append(check)


def refusal(user: Any) -> str | None:
    for check in _refusals:
        message = check(user)
        if message:
            return str(message)
    return None


def _territories(user: Any) -> list[Any]:
    """The territories whose schemas may hold rows about the account (not every one)."""

    with schema_context("public"):
        return list(Territory.objects.filter(pk__in=territory_ids_of(user)).order_by("slug"))


def export_user_data(user: Any) -> dict[str, Any]:
    """Everything the platform holds about the account, as one JSON-ready dict."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "network": {},
        "territories": {},
    }
    with schema_context("public"):
        for handler in handlers(PUBLIC):
            if handler.exporter is not None:
                data["network"][handler.key] = handler.exporter(user)
    tenant_handlers = [h for h in handlers(TERRITORY) if h.exporter is not None]
    for territory in _territories(user):
        section: dict[str, Any] = {}
        with tenant_context(territory):
            for handler in tenant_handlers:
                value = handler.exporter(user)  # type: ignore[misc]
                if value:
                    section[handler.key] = value
        if section:
            data["territories"][territory.slug] = section
    return data


@transaction.atomic
def delete_account(user: Any, *, via: str) -> None:
    """Erase the account everywhere, then the account itself. ``via`` says who asked
    (``self``, ``guardian``, ``retention``) for the audit entry, which holds no
    personal data: not the email, not the account id."""

    message = refusal(user)
    if message:
        raise DeletionRefused(message)
    for territory in _territories(user):
        with tenant_context(territory):
            for handler in handlers(TERRITORY):
                if handler.eraser is not None:
                    handler.eraser(user)
    with schema_context("public"):
        for handler in handlers(PUBLIC):
            if handler.eraser is not None:
                handler.eraser(user)
        user.delete()
        record(actor=None, action=AuditEvent.ACCOUNTS_ACCOUNT_DELETED, details={"via": via})


def json_default(value: Any) -> Any:
    """For json.dumps of an export: dates, times, UUIDs and decimals as strings."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)
