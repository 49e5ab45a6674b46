"""A PostgreSQL ``datemultirange`` column: the days on which an activity takes place.

Weekly recurrences with exceptions, single sessions, a date range and "always open"
all become one set of day ranges, so "is anything on between these dates?" is one
indexed overlap test (``&&``), whatever the kind of schedule.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Func, Lookup
from psycopg.types.multirange import Multirange
from psycopg.types.range import Range

DayRange = tuple[datetime.date | None, datetime.date | None]


class DateMultiRangeField(models.Field):
    """Half-open day ranges ``[start, end)``; ``(None, None)`` is unbounded."""

    description = "Set of date ranges"

    def db_type(self, connection: Any) -> str:
        return "datemultirange"

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Multirange):
            return value
        return Multirange([Range(start, end, "[)") for start, end in value])

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[DayRange] | None:
        if value is None:
            return None
        return [(r.lower, r.upper) for r in value]

    def to_python(self, value: Any) -> Any:
        return value


@DateMultiRangeField.register_lookup
class Overlaps(Lookup):
    """``schedule_days__overlaps=(first_day, last_day)``, both days included."""

    lookup_name = "overlaps"

    def get_prep_lookup(self) -> Any:
        return self.rhs

    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        start, end = self.rhs
        return "daterange(%s::date, %s::date, '[]')", [start, end]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} && {rhs}", [*lhs_params, *rhs_params]


class FirstDayFrom(Func):
    """The first day of the set on or after a given day (NULL if none)."""

    output_field = models.DateField()

    def __init__(self, expression: Any, day: datetime.date, **extra: Any) -> None:
        super().__init__(expression, models.Value(day), **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        field, day = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        day_sql, day_params = compiler.compile(day)
        sql = f"lower({field_sql} * datemultirange(daterange({day_sql}::date, NULL)))"
        return sql, (*field_params, *day_params)
