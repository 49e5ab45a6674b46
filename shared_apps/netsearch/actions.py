"""Keeping the network index in step with every territory's public activities.

``on_change`` runs after the territory's transaction committed (through
tenant_apps.catalogue.publishing), so the index never shows what was rolled back.
Every write is a re-read of the source: replaying or reordering changes is harmless.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django_tenants.utils import schema_context, schema_exists

from shared_apps.netsearch.models import SEARCH_CONFIG, NetworkActivity
from tenant_apps.catalogue.network import LOCAL_FORMATS, ONLINE_FORMATS, public_activities
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
VECTOR_SQL = f"""
UPDATE netsearch_networkactivity SET search_vector = {VECTOR_EXPRESSION}
WHERE territory_id = %s AND activity_id = ANY(%s)
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

    def row(self, territory: Territory) -> NetworkActivity:
        return NetworkActivity(
            territory=territory,
            activity_id=self.activity_id,
            title=self.title,
            summary=self.summary,
            interests=list(self.interests),
            format=self.format,
            is_online=self.format in ONLINE_FORMATS,
            is_local=self.format in LOCAL_FORMATS and self.point is not None,
            point=Point(*self.point, srid=4326) if self.point else None,
            languages=list(self.languages),
            other_texts=self.other_texts,
            path=f"/activities/{self.activity_id}/",
            fingerprint=self.fingerprint,
        )


def read_sources(territory: Territory, ids: Sequence[int] | None = None) -> list[Source]:
    """The territory's public activities (those of ``ids``, or all), in one query,
    through the catalogue's public interface (tenant_apps.catalogue.network)."""
    with schema_context(territory.schema_name):
        return [
            Source(
                activity_id=row.activity_id,
                title=row.title,
                summary=row.summary,
                interests=row.interests,
                format=row.format,
                point=row.point,
                languages=row.languages,
                other_texts=row.other_texts,
            )
            for row in public_activities(ids)
        ]


def upsert(territory: Territory, sources: Sequence[Source]) -> None:
    if not sources:
        return
    with schema_context("public"), transaction.atomic():
        NetworkActivity.objects.bulk_create(
            [source.row(territory) for source in sources],
            update_conflicts=True,
            unique_fields=["territory", "activity_id"],
            update_fields=UPDATE_FIELDS,
            batch_size=1000,
        )
        with connection.cursor() as cursor:
            cursor.execute(VECTOR_SQL, [territory.pk, [s.activity_id for s in sources]])


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
