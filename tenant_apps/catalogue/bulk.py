"""Writing many activities at once (imports): COPY, then one INSERT or UPDATE.

Django's bulk_update builds a CASE per column and row (more than a minute for 2,000
activities on a busy machine) and bulk_create compiles tens of thousands of
parameters per statement; COPY hands PostgreSQL the rows as text. Values go through
each model field's own get_db_prep_save, as Django's save would send them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.db import connection, models

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


def _needs_prep(field: models.Field[Any, Any]) -> bool:
    # Plain values (text, numbers, dates, lists of them) are adapted by psycopg as
    # they are; JSON, files and geometries need the field's own conversion.

    return isinstance(field, models.JSONField | models.FileField | GeometryField)


def _values(obj: models.Model, fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    return [
        f.get_db_prep_save(getattr(obj, f.attname), connection)
        if _needs_prep(f)
        else getattr(obj, f.attname)
        for f in fields
    ]


def insert_activities(activities: Sequence[Activity]) -> None:
    """INSERT new activities (ids taken from the table's sequence first)."""
    if not activities:
        return
    table = Activity._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(activities)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    fields = list(Activity._meta.concrete_fields)
    for activity, pk in zip(activities, ids, strict=True):
        activity.pk = pk
        for field in fields:
            if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                field.pre_save(activity, add=True)
    copy_rows(table, [f.column for f in fields], (_values(a, fields) for a in activities))


def update_activities(activities: Sequence[Activity], field_names: Sequence[str]) -> None:
    """UPDATE these columns of existing activities from a temporary copy of them."""
    if not activities:
        return
    table = Activity._meta.db_table
    fields = [Activity._meta.get_field("id"), *(Activity._meta.get_field(n) for n in field_names)]
    concrete = [f for f in fields if isinstance(f, models.Field)]
    columns = [f.column for f in concrete]
    with connection.cursor() as cursor:
        # Only the columns written, without the table's constraints.
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS catalogue_import_activity ON COMMIT DROP AS "  # noqa: S608 - model column names
            f"SELECT {_quoted(columns)} FROM {connection.ops.quote_name(table)} WITH NO DATA"
        )
        cursor.execute("TRUNCATE catalogue_import_activity")
    copy_rows("catalogue_import_activity", columns, (_values(a, concrete) for a in activities))
    assignments = ", ".join(f"{c} = t.{c}" for c in map(connection.ops.quote_name, columns[1:]))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} a SET {assignments} "  # noqa: S608 - model column names
            "FROM catalogue_import_activity t WHERE a.id = t.id"
        )
