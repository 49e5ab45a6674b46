"""Writing many activities at once (imports): COPY, then one INSERT or UPDATE.

Django's bulk_update builds a CASE per column and row (more than a minute for 2,000
activities on a busy machine) and bulk_create compiles tens of thousands of
parameters per statement; COPY hands PostgreSQL the rows as text. Values go through
each model field's own get_db_prep_save, as Django's save would send them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.db import connection, models

from tenant_apps.catalogue import indexing
from tenant_apps.catalogue.models import Activity


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows into a table of the current schema (or a temporary table)."""
    with connection.cursor() as wrapper:
        cursor: Any = wrapper.cursor  # psycopg's own cursor: Django's has no copy()
        statement = f"COPY {connection.ops.quote_name(table)} ({_quoted(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def delete_rows(table: str, column: str, ids: Sequence[int]) -> None:
    """DELETE the rows of ``table`` whose ``column`` is one of ``ids``, in one statement.
    For tables no signal receiver cares about (an activity's interests and sessions):
    Django's delete() fetches them and deletes by hundreds of ids, since django-tenants
    listens to every model's post_delete (for the territory model only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(table)} "  # noqa: S608 - model names
            f"WHERE {connection.ops.quote_name(column)} = ANY(%s)",
            [list(ids)],
        )


def _needs_prep(field: models.Field[Any, Any]) -> bool:
    # Plain values (text, numbers, dates, lists of them) are adapted by psycopg as
    # they are; JSON, files and geometries need the field's own conversion.

    return isinstance(field, models.JSONField | models.FileField | GeometryField)


def _rows(objs: Iterable[models.Model], fields: Sequence[models.Field[Any, Any]]) -> Any:
    """Each object's values for COPY; which fields need their own conversion is found
    once, not once per row and field (half a million checks in a 50,000-row import)."""
    plan = [(f.attname, f if _needs_prep(f) else None) for f in fields]
    for obj in objs:
        yield [
            getattr(obj, name) if f is None else f.get_db_prep_save(getattr(obj, name), connection)
            for name, f in plan
        ]


STAGING = "catalogue_import_staging"


def _next_ids(count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Activity._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def write_activities(
    new: Sequence[Activity],
    changed: Sequence[Activity],
    field_names: Sequence[str],
    *,
    interest_ids: Mapping[int, Sequence[int]],
    language: str,
) -> list[indexing.Visibility]:
    """Write imported activities and their search columns in one statement each: new
    ones by one INSERT, changed ones (only ``field_names``) by one UPDATE, both from
    a staged COPY, the search columns computed by indexing's own expressions from the
    staged values (before, each row was written, then rewritten with its search
    columns: every one of its ~18 index entries twice). ``interest_ids`` maps each
    activity (by ``id()``) to the interests it will have. Returns the visibility of
    each row before and after, as indexing.refresh does."""
    if not new and not changed:
        return []
    table = connection.ops.quote_name(Activity._meta.db_table)
    fields = [f for f in Activity._meta.concrete_fields if isinstance(f, models.Field)]
    for activity, pk in zip(new, _next_ids(len(new)) if new else [], strict=True):
        activity.pk = pk
        for field in fields:
            if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                field.pre_save(activity, add=True)
    for activity in (*new, *changed):
        # The staged row's interests, which the search columns are computed from.
        activity.interest_ids = sorted(set(interest_ids.get(id(activity), ())))
    with connection.cursor() as cursor:
        # Every column, without the table's constraints or indexes.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} ON COMMIT DROP AS "  # noqa: S608 - model table
            f"SELECT * FROM {table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {STAGING}")
    copy_rows(STAGING, [f.column for f in fields], _rows([*new, *changed], fields))
    expressions = indexing.computed()
    params = {"cfg": indexing.search_config(language)}
    visibility: list[indexing.Visibility] = []
    with connection.cursor() as cursor:
        if new:
            plain = [f.column for f in fields if f.column not in expressions]
            src = indexing.source_sql(
                rows=STAGING,
                was_public="false",
                interests=indexing.STAGED_INTERESTS,
                where="WHERE a.id = ANY(%(new)s)",
            )
            cursor.execute(
                f"WITH {src}\nINSERT INTO {table} ({_quoted(plain)}, {_quoted(expressions)})\n"
                f"SELECT {', '.join('a.' + connection.ops.quote_name(c) for c in plain)},\n"
                + ",\n".join(expressions.values())
                + f"\nFROM {STAGING} a JOIN src ON src.id = a.id\n"
                "RETURNING id, false, is_public",
                params | {"new": [a.pk for a in new]},
            )
            visibility += [indexing.Visibility(int(pk), False, bool(now)) for pk, _, now in cursor]
        if changed:
            by_name = {f.name: f.column for f in fields}
            written = {by_name[n] for n in field_names} | {"interest_ids"}
            # The row as it will be: the written columns staged, the others stored.
            merged = ", ".join(
                f"{'s' if f.column in written else 'o'}.{connection.ops.quote_name(f.column)}"
                for f in fields
            )
            src = indexing.source_sql(
                rows="merged",
                was_public="a.is_public",
                interests=indexing.STAGED_INTERESTS,
                where="",
            )
            assignments = [
                f"{connection.ops.quote_name(c)} = a.{connection.ops.quote_name(c)}"
                for c in sorted(written - set(expressions))
            ] + [f"{c} = {sql}" for c, sql in expressions.items()]
            cursor.execute(
                f"WITH merged AS MATERIALIZED (SELECT {merged} FROM {STAGING} s "  # noqa: S608 - as above
                f"JOIN {table} o ON o.id = s.id WHERE s.id = ANY(%(changed)s)),\n{src}\n"
                f"UPDATE {table} t SET\n    " + ",\n    ".join(assignments) + "\n"
                "FROM merged a JOIN src ON src.id = a.id\nWHERE t.id = a.id\n"
                "RETURNING t.id, src.was_public, src.now_public",
                params | {"changed": [a.pk for a in changed]},
            )
            visibility += [
                indexing.Visibility(int(pk), bool(was), bool(now)) for pk, was, now in cursor
            ]
    return visibility
