"""Keeping the network index in step with every territory's public activities.

``on_change`` runs after the territory's transaction committed (through
tenant_apps.catalogue.publishing), so the index never shows what was rolled back.
Every write is a re-read of the source: replaying or reordering changes is harmless.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from shared_apps.netsearch.models import SEARCH_CONFIG, NetworkActivity
from tenants.models import Territory

logger = logging.getLogger(__name__)
UPDATE_FIELDS = [
    "title",
    "summary",
    "interests",
    "format",
    "is_online",
    "is_local",
    "point",
    "languages",
    "other_texts",
    "path",
    "fingerprint",
    "updated_at",
]
# Words weigh A (title) and B (summary, interests); C: the title and summary in the
# activity's other languages and its interests' names in every language, so a search
# in any language finds it ("glasba", "programming"). Place tokens (D) let the GIN index
# itself keep only what may be shown where the search comes from: "zzonline" on
# online activities, "zzlocal<territory id>" on activities at a venue.
VECTOR_EXPRESSION = f"""
    setweight(to_tsvector('{SEARCH_CONFIG}', title), 'A')
    || setweight(to_tsvector('{SEARCH_CONFIG}',
           summary || ' ' || array_to_string(interests, ' ')), 'B')
    || setweight(to_tsvector('{SEARCH_CONFIG}', other_texts), 'C')
    || setweight(to_tsvector('{SEARCH_CONFIG}',
           CASE WHEN is_online THEN 'zzonline ' ELSE '' END
           || CASE WHEN is_local THEN 'zzlocal' || territory_id ELSE '' END), 'D')
"""
# Rows written per upsert: COPY into a temporary table (text, no statement with tens of
# thousands of parameters to compile), then one INSERT ... ON CONFLICT that computes
# the search vector as it writes, so each row and its GIN entries are written once.
COPY_COLUMNS = ["territory_id", "activity_id", *UPDATE_FIELDS]
STAGING_TABLE = "netsearch_upsert"
_COLUMNS_SQL = ", ".join(COPY_COLUMNS)
UPSERT_SQL = f"""
INSERT INTO netsearch_networkactivity ({_COLUMNS_SQL}, search_vector)
SELECT {_COLUMNS_SQL}, {VECTOR_EXPRESSION}
FROM {STAGING_TABLE}
ON CONFLICT (territory_id, activity_id) DO UPDATE SET
    {", ".join(f"{name} = EXCLUDED.{name}" for name in UPDATE_FIELDS)},
    search_vector = EXCLUDED.search_vector
"""  # noqa: S608 (constants, no user input)


@dataclass(frozen=True)
class Source:
    """A public activity as the index should hold it."""

    activity_id: int
    title: str
    summary: str
    interests: tuple[str, ...]
    format: str
    point: tuple[float, float] | None
    languages: tuple[str, ...]
    other_texts: str = ""
    # Findable from every territory (online, hybrid) / near its venue (local, hybrid).
    online: bool = False
    local: bool = False

    @property
    def fingerprint(self) -> str:
        data = [
            self.title,
            self.summary,
            list(self.interests),
            self.format,
            [round(c, 6) for c in self.point] if self.point else None,
            list(self.languages),
            self.other_texts,
        ]
        text = json.dumps(data, ensure_ascii=False)
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


# Where the public activities come from, registered by tenant_apps.catalogue in its
# AppConfig.ready() (tenant_apps.catalogue.network.index_sources): the index lives in the
# public schema, below the territory apps, and never imports them.
SourceReader = Callable[[Sequence[int] | None], list[Source]]
_readers: list[SourceReader] = []


def register_source_reader(reader: SourceReader) -> None:
    """``reader(ids or None)``: the current schema's public activities as Sources."""
    _readers[:] = [reader]


def read_sources(territory: Territory, ids: Sequence[int] | None = None) -> list[Source]:
    """The territory's public activities (those of ``ids``, or all), in one query,
    through the catalogue's public interface (tenant_apps.catalogue.network)."""
    with schema_context(territory.schema_name):
        return [source for reader in _readers for source in reader(ids)]


def _copy_row(source: Source, territory: Territory, now: datetime.datetime) -> list[object]:
    """The values of NetworkActivity's columns for this source (as ``row`` builds them),
    in COPY_COLUMNS order; the point as EWKT, which the geography column reads."""
    point = f"SRID=4326;POINT({source.point[0]!r} {source.point[1]!r})" if source.point else None
    return [
        territory.pk,
        source.activity_id,
        source.title,
        source.summary,
        list(source.interests),
        source.format,
        source.online,
        source.local and source.point is not None,
        point,
        list(source.languages),
        source.other_texts,
        f"/activities/{source.activity_id}/",
        source.fingerprint,
        now,
    ]


def upsert(territory: Territory, sources: Sequence[Source]) -> None:
    """Insert or update the index rows of these sources, search vectors included."""
    if not sources:
        return
    now = timezone.now()
    with schema_context("public"), transaction.atomic(), connection.cursor() as wrapper:
        wrapper.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING_TABLE} ON COMMIT DROP AS "  # noqa: S608 - constants
            f"SELECT {_COLUMNS_SQL} FROM netsearch_networkactivity WITH NO DATA"
        )
        wrapper.execute(f"TRUNCATE {STAGING_TABLE}")
        cursor: Any = wrapper.cursor  # psycopg's own cursor: Django's has no copy()
        with cursor.copy(f"COPY {STAGING_TABLE} ({_COLUMNS_SQL}) FROM STDIN") as copy:
            for source in sources:
                copy.write_row(_copy_row(source, territory, now))
        wrapper.execute(UPSERT_SQL)


def remove(territory: Territory, activity_ids: Iterable[int]) -> int:
    ids = list(activity_ids)
    if not ids:
        return 0
    with schema_context("public"):
        deleted, _ = NetworkActivity.objects.filter(
            territory=territory, activity_id__in=ids
        ).delete()
    return deleted


def sync(territory: Territory, activity_ids: Sequence[int]) -> None:
    """Make the index rows of these activities match the territory's data."""
    sources = read_sources(territory, activity_ids)
    upsert(territory, sources)
    found = {s.activity_id for s in sources}
    remove(territory, [pk for pk in activity_ids if pk not in found])


def on_change(schema_name: str, change: str, activity_ids: list[int]) -> None:
    """Subscriber of tenant_apps.catalogue.publishing (after commit)."""
    with schema_context("public"):
        territory = Territory.objects.filter(schema_name=schema_name).first()
    if territory is None:
        return
    if change == "deleted":
        remove(territory, activity_ids)
    else:
        sync(territory, activity_ids)


@dataclass
class Differences:
    territory: str
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.stale)


def reconcile(territory: Territory, *, repair: bool = True) -> Differences:
    """Compare the index with the territory's public activities; repair unless told not."""
    sources = {s.activity_id: s for s in read_sources(territory)}
    with schema_context("public"):
        indexed = dict(
            NetworkActivity.objects.filter(territory=territory).values_list(
                "activity_id", "fingerprint"
            )
        )
    diff = Differences(territory.slug)
    diff.missing = sorted(set(sources) - set(indexed))
    diff.extra = sorted(set(indexed) - set(sources))
    diff.stale = sorted(
        pk for pk in set(sources) & set(indexed) if sources[pk].fingerprint != indexed[pk]
    )
    if repair:
        upsert(territory, [sources[pk] for pk in diff.missing + diff.stale])
        remove(territory, diff.extra)
    return diff


def reconcile_all(*, repair: bool = True) -> list[Differences]:
    """Every territory that has a schema."""
    results = []
    with schema_context("public"):
        territories = list(Territory.objects.exclude(status=Territory.Status.PROVISIONING))
    for territory in territories:
        if not schema_exists(territory.schema_name):
            continue
        results.append(reconcile(territory, repair=repair))
    return results
