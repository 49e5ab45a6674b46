"""Which territories hold rows about an account: known in the public schema.

Per-person work across territories (data export, account deletion, consent
withdrawal) visits only these territories instead of every schema. A territory is
one of them when the account:

- has (or had: footprints outlive memberships) a membership there;
- wrote or was written about in its schema: every save of a territory model with a
  field pointing at an account (a foreign key to the user model, or an integer field
  named ``user_id`` / ``*_user_id``) records a footprint, found automatically for
  every model of every tenant app; bulk writes, which send no signal, call ``note``
  themselves (tenant_apps.badges.actions.award_many);
- signed in on the territory's site (its session lives in that schema);
- holds a badge of it in the backpack index (awards made to an email address before
  any account had it).

A footprint is one row (account, territory), written in the same transaction as the
row it accounts for, never removed until the account is (CASCADE).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import connection, models
from django.db.models.signals import post_save

from shared_apps.accounts.models import Footprint, Membership, User
from tenants.models import Territory

logger = logging.getLogger(__name__)


def user_fields(model: type[models.Model]) -> list[str]:
    """Attribute names of the fields holding an account id in ``model``."""
    names = []
    for field in model._meta.concrete_fields:
        related = field.related_model
        if field.is_relation and related is not None and not isinstance(related, str):
            if related._meta.label == settings.AUTH_USER_MODEL:
                names.append(field.attname)
        elif isinstance(field, models.IntegerField) and (
            field.name == "user_id" or field.name.endswith("_user_id")
        ):
            names.append(field.attname)
    return names


def tenant_models() -> list[type[models.Model]]:
    """Models whose tables live in the territory schemas only."""
    shared = set(settings.SHARED_APPS)
    labels = [
        config.label
        for config in apps.get_app_configs()
        if config.name in settings.TENANT_APPS and config.name not in shared
    ]
    return [model for label in labels for model in apps.get_app_config(label).get_models()]


def tracked_models() -> dict[type[models.Model], list[str]]:
    tracked = {}
    for model in tenant_models():
        fields = user_fields(model)
        if fields:
            tracked[model] = fields
    return tracked


def _current_territory_id() -> int | None:
    schema = getattr(connection, "schema_name", "public")
    if schema == "public":
        return None
    tenant = getattr(connection, "tenant", None)
    if getattr(tenant, "schema_name", None) == schema and isinstance(
        getattr(tenant, "pk", None), int
    ):
        return int(tenant.pk)  # type: ignore[union-attr]

    return Territory.objects.filter(schema_name=schema).values_list("pk", flat=True).first()


def note(user_ids: Iterable[Any], territory_id: int | None = None) -> None:
    """Record that these accounts have rows in the territory (default: the schema the
    connection is in). One INSERT ... ON CONFLICT DO NOTHING; ids of accounts that do
    not exist (tenant rows reference accounts without a constraint) are left out."""

    ids = sorted({int(pk) for pk in user_ids if pk})
    if not ids:
        return
    territory_id = territory_id or _current_territory_id()
    if territory_id is None:
        return
    quote = connection.ops.quote_name
    # Both tables are in the public schema, named explicitly whatever the search path.
    footprint = f"public.{quote(Footprint._meta.db_table)}"
    user = f"public.{quote(User._meta.db_table)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {footprint} (user_id, territory_id, created_at) "  # noqa: S608
            f"SELECT u.id, %s, now() FROM {user} u WHERE u.id = ANY(%s) "
            "ON CONFLICT DO NOTHING",
            [territory_id, ids],
        )


def _on_save(sender: type[models.Model], instance: models.Model, raw: bool, **kwargs: Any) -> None:
    fields = _tracked.get(sender)
    if fields:
        note(getattr(instance, name) for name in fields)


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    territory = getattr(request, "territory", None)
    if territory is not None:
        note([user.pk], territory.pk)


_tracked: dict[type[models.Model], list[str]] = {}

# Apps above accounts that know of more territories holding rows about an account (the
# backpack's index of badges awarded to one of its email addresses) add a source from
# their AppConfig.ready(): (account, its lower-cased email addresses) -> territory ids.
FootprintSource = Callable[[Any, set[str]], Iterable[int]]
_sources: list[FootprintSource] = []


def register_source(source: FootprintSource) -> None:
    """Add a source of territory ids to territory_ids_of (idempotent)."""
    if source not in _sources:
        _sources.append(source)


def connect() -> None:
    """Called once by AccountsConfig.ready(), when every model is loaded."""
    _tracked.update(tracked_models())
    for model in _tracked:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"footprint_{model._meta.label}")
    user_logged_in.connect(_on_login, dispatch_uid="footprint_login")


def territory_ids_of(user: Any) -> list[int]:
    """Every territory that may hold rows about the account (see the module's doc)."""

    emails = {user.email.lower()} if user.email else set()

    emails |= {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    ids = set(Membership.objects.filter(user=user).values_list("territory_id", flat=True))
    ids |= set(Footprint.objects.filter(user=user).values_list("territory_id", flat=True))
    for source in _sources:
        ids |= set(source(user, emails))
    return sorted(ids)
