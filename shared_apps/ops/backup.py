"""Backup and restore of ONE territory, without touching the others.

A territory's data is its schema plus the rows of the public schema that belong to it:
the Territory row, its Domains, Memberships, AuditEntries, coordinator links, and any
row of any public model that has a foreign key to Territory (apps added later are
included without changes here), plus the rows those refer to (the accounts of its
members, their verified email addresses, coordinators).

The archive (``<slug>-<UTC time>.tar.gz``) holds:

- ``schema.sql``: ``pg_dump --schema=<schema>`` (plain SQL, no owners or grants);
- ``public.json``: the public rows, Django's JSON serialisation with primary keys;
- ``manifest.json``: what, when, from which version.

Both are read in ONE database snapshot: the public rows in a REPEATABLE READ
transaction whose snapshot pg_dump shares (``--snapshot``), so a membership added
during the backup is either in both or in neither.

Restore puts the rows back with their primary keys (the schema's tables may refer to
accounts by id) and then loads the schema with ``psql --single-transaction``. It
refuses, changing nothing, when the territory exists or when an id it needs belongs to
another row; if loading the schema fails, the rows it inserted are deleted again.

In place: deleting a territory keeps its audit entries (and other rows whose link to
it is SET_NULL) with the link emptied. Such a row, found under the archived id with
every link to a territory empty, is the archived row itself (ids are never reused):
restore links it again instead of refusing.

Timestamps keep their microseconds: Django's JSON encoder cuts them to milliseconds,
so the rows are written with an exact encoder.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django_tenants.utils import schema_context

from tenants.models import Territory

logger = logging.getLogger(__name__)
FORMAT = 1


class RestoreRefused(Exception):
    """The archive cannot be restored here; nothing was changed."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without its cut of datetimes and times to milliseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime, time)):
            return o.isoformat()
        return super().default(o)


# ---- which public rows belong to a territory ---------------------------------------------


def _public_models() -> list[type[models.Model]]:
    tenant_only = set(settings.TENANT_APPS) - set(settings.SHARED_APPS)
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name not in tenant_only and model._meta.managed
    ]


def _owned_rows(territory: Territory) -> list[models.Model]:
    """Rows of public models with a foreign key to this territory."""
    rows: list[models.Model] = [territory]
    for model in _public_models():
        links = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Territory and (f.many_to_one or f.one_to_one)
        ]
        if not links or model is Territory:
            continue
        query = models.Q()
        for link in links:
            query |= models.Q(**{link.name: territory})
        rows.extend(model._base_manager.filter(query).order_by("pk"))
    return rows


def _referenced_rows(rows: list[models.Model]) -> list[models.Model]:
    """Rows the owned rows point to (accounts, coordinators), and their own targets."""
    seen: set[tuple[Any, Any]] = {(type(row), row.pk) for row in rows}
    found: list[models.Model] = []
    queue = list(rows)
    while queue:
        row = queue.pop()
        for field_ in row._meta.concrete_fields:
            if not field_.is_relation or field_.related_model is Territory:
                continue
            target_id = getattr(row, field_.attname)
            if target_id is None:
                continue
            target_model = field_.related_model
            key = (target_model, target_id)
            if key in seen:
                continue
            seen.add(key)
            target = target_model._base_manager.filter(pk=target_id).first()  # type: ignore[union-attr]
            if target is not None:
                found.append(target)
                queue.append(target)
    # Verified addresses of the accounts: without them nobody could sign in.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    user_ids = [row.pk for row in found if isinstance(row, user_model)]
    if apps.is_installed("allauth.account"):
        email_model = apps.get_model("account", "EmailAddress")
        found.extend(email_model._base_manager.filter(user_id__in=user_ids).order_by("pk"))
    return found


def _dependency_order(rows: list[models.Model]) -> list[models.Model]:
    """Rows sorted so that every row comes after the rows it points to."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for row in rows:
        by_model[type(row)].append(row)
    ordered: list[type[models.Model]] = []

    def visit(model: type[models.Model], path: tuple[type[models.Model], ...] = ()) -> None:
        if model in ordered or model in path:
            return
        for field_ in model._meta.concrete_fields:
            target = field_.related_model
            if field_.is_relation and target in by_model and target is not model:
                visit(target, (*path, model))  # type: ignore[arg-type]
        ordered.append(model)

    for model in by_model:
        visit(model)
    return [row for model in ordered for row in by_model[model]]


# ---- backup ---------------------------------------------------------------------------------


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    args += ["-U", str(db.get("USER") or "postgres"), "-d", str(db["NAME"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    folder = settings.PG_BIN_DIR
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise RuntimeError(f"{name} not found (set PG_BIN_DIR to PostgreSQL 15's bin folder)")
    return path


def backup_territory(territory: Territory, folder: Path) -> Path:
    """Write ``<folder>/<slug>-<time>.tar.gz`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{territory.slug}-{stamp}.tar.gz"
    pg_args, pg_env = _pg_env()
    with schema_context("public"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        # Arguments: our settings, the territory's validated schema name, the snapshot id.
        dump = subprocess.run(  # noqa: S603
            [
                _tool("pg_dump"),
                *pg_args,
                "--schema",
                territory.schema_name,
                "--no-owner",
                "--no-privileges",
                "--snapshot",
                snapshot,
            ],
            env=pg_env,
            capture_output=True,
            check=False,
        )
        if dump.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {dump.stderr.decode()[-2000:]}")
        owned = _owned_rows(Territory.objects.get(pk=territory.pk))
        referenced = _referenced_rows(owned)
    public = {
        "owned": json.loads(serializers.serialize("json", owned, cls=ExactJSONEncoder)),
        "referenced": json.loads(serializers.serialize("json", referenced, cls=ExactJSONEncoder)),
    }
    manifest = {
        "format": FORMAT,
        "slug": territory.slug,
        "schema_name": territory.schema_name,
        "created_at": stamp,
        "platform_version": settings.PLATFORM_VERSION,
        "rows": {
            label: sum(1 for row in public[part] if row["model"] == label)
            for part in ("owned", "referenced")
            for label in {row["model"] for row in public[part]}
        },
    }
    with tarfile.open(target, "w:gz") as archive:
        for name, data in (
            ("manifest.json", json.dumps(manifest, indent=2).encode()),
            ("public.json", json.dumps(public).encode()),
            ("schema.sql", dump.stdout),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(data))
    target.chmod(0o600)  # accounts, password hashes: readable by the operator only
    logger.info("backed up territory %s to %s", territory.slug, target.name)
    return target


# ---- restore ---------------------------------------------------------------------------------


@dataclass
class Restored:
    slug: str
    schema_name: str
    rows: dict[str, int] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)


def _read(archive_path: Path) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    with tarfile.open(archive_path, "r:gz") as archive:

        def member(name: str) -> bytes:
            extracted = archive.extractfile(name)
            if extracted is None:
                raise RestoreRefused(f"{archive_path.name} has no {name}")
            return extracted.read()

        manifest = json.loads(member("manifest.json"))
        public = json.loads(member("public.json"))
        schema_sql = member("schema.sql")
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"unknown archive format {manifest.get('format')}")
    return manifest, public, schema_sql


def _same_row(existing: models.Model, incoming: models.Model) -> bool:
    """An existing row may stand in for the archived one if it is the same thing."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if isinstance(existing, user_model):
        return str(existing.email).lower() == str(incoming.email).lower()  # type: ignore[attr-defined]
    identity = [
        f.attname
        for f in existing._meta.concrete_fields
        if f.is_relation or getattr(f, "unique", False)
    ]
    return all(getattr(existing, name) == getattr(incoming, name) for name in identity)


SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def restore_territory(
    archive_path: Path, *, schema_only: bool = False, replace: bool = False
) -> Restored:
    """Restore one territory from an archive made by ``backup_territory``.

    ``schema_only``: only the territory's schema, into this database, as a territory
    moves to another cluster (deploy/SCALING.md section 5): its public rows stay in
    the directory database. Refused when the schema exists here, unless ``replace``
    (the old schema is dropped in the same transaction as the new one is loaded)."""
    manifest, public, schema_sql = _read(archive_path)
    slug, schema = manifest["slug"], manifest["schema_name"]
    result = Restored(slug=slug, schema_name=schema)
    if schema_only:
        _restore_schema_only(schema, schema_sql, replace=replace)
        logger.info("restored the schema of territory %s from %s", slug, archive_path.name)
        return result
    inserted: list[models.Model] = []
    relinked: list[models.Model] = []  # as they were before: unlinked again on failure
    with schema_context("public"), transaction.atomic():
        if Territory.objects.filter(models.Q(slug=slug) | models.Q(schema_name=schema)).exists():
            raise RestoreRefused(f"territory {slug} ({schema}) exists here: delete it first")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
            if cursor.fetchone():
                raise RestoreRefused(f"schema {schema} exists here: drop it first")
        referenced = [
            item.object
            for item in serializers.deserialize("json", json.dumps(public["referenced"]))
        ]
        owned = [
            item.object for item in serializers.deserialize("json", json.dumps(public["owned"]))
        ]
        for row in _dependency_order(referenced):
            existing = type(row)._base_manager.filter(pk=row.pk).first()
            label = row._meta.label_lower
            if existing is not None:
                if not _same_row(existing, row):
                    raise RestoreRefused(
                        f"{label} #{row.pk} is another record here; restore into a database "
                        "where ids are free (a fresh one, or the one it came from)"
                    )
                result.reused[label] = result.reused.get(label, 0) + 1
                continue
            _insert(row)
            inserted.append(row)
            result.rows[label] = result.rows.get(label, 0) + 1
        for row in _dependency_order(owned):
            label = row._meta.label_lower
            existing = type(row)._base_manager.filter(pk=row.pk).first()
            if existing is not None:
                if not _orphaned(existing):
                    raise RestoreRefused(f"{label} #{row.pk} is another record here")
                models.Model.save_base(row, raw=True, force_update=True)
                relinked.append(existing)
            else:
                _insert(row)
                inserted.append(row)
            result.rows[label] = result.rows.get(label, 0) + 1
        touched = list({type(row) for row in inserted})
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), touched):
                cursor.execute(statement)

    try:
        _load_schema(schema_sql)
    except Exception:
        # Undo the public rows, newest first, so the database is as it was.
        with schema_context("public"), transaction.atomic():
            for row in relinked:
                models.Model.save_base(row, raw=True, force_update=True)
            for row in reversed(inserted):
                type(row)._base_manager.filter(pk=row.pk).delete()
        raise
    logger.info("restored territory %s from %s", slug, archive_path.name)
    return result


def _restore_schema_only(schema: str, schema_sql: bytes, *, replace: bool) -> None:
    if not SCHEMA_NAME.match(schema):
        raise RestoreRefused(f"not a schema name: {schema!r}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        exists = cursor.fetchone() is not None
    if exists and not replace:
        raise RestoreRefused(f"schema {schema} exists here: drop it first, or replace it")
    # The schema holds no foreign key to the public schema (accounts are referred to
    # by id), so it loads on a cluster without the territory's public rows.
    script = schema_sql
    if exists:
        # In the load's one transaction: if the load fails, the old schema stays.
        script = f"DROP SCHEMA {schema} CASCADE;\n".encode() + script
    _load_schema(script)


def _territory_links(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Territory
    ]


def _orphaned(existing: models.Model) -> bool:
    """A row the territory's deletion kept with its link to the territory emptied."""
    links = _territory_links(type(existing))
    return bool(links) and all(getattr(existing, name) is None for name in links)


def _insert(row: models.Model) -> None:
    # Raw save: no signals' side effects beyond cache invalidation, no auto fields,
    # no TenantMixin.save (the schema comes from the archive, not from migrations).
    models.Model.save_base(row, raw=True, force_insert=True)


def _load_schema(schema_sql: bytes) -> None:
    pg_args, pg_env = _pg_env()
    with tempfile.NamedTemporaryFile(suffix=".sql") as script:
        script.write(schema_sql)
        script.flush()
        loaded = subprocess.run(  # noqa: S603  (our settings and a temporary file name)
            [
                _tool("psql"),
                *pg_args,
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                "-f",
                script.name,
            ],
            env=pg_env,
            capture_output=True,
            check=False,
        )
    if loaded.returncode != 0:
        raise RuntimeError(f"loading the schema failed: {loaded.stderr.decode()[-2000:]}")
