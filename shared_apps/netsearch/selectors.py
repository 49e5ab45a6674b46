"""The network search: online activities of the whole network and local activities
of territories near a point, from the public index: two small queries whatever the
number of territories and activities."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.gis.geos import Point
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from shared_apps.core.searchterms import query_terms, tsquery_text
from shared_apps.netsearch.models import SEARCH_CONFIG, NetworkActivity
from tenants.models import Territory

# A suspended or archived territory's activities disappear from the network at once.
SEARCHABLE_STATUSES = (Territory.Status.TRIAL, Territory.Status.ACTIVE)
LIMIT = 50
CANDIDATES = 500


def network_search(
    *,
    text: str,
    near: Point | None,
    km: int,
    exclude: Territory | None = None,
    limit: int = LIMIT,
) -> list[NetworkActivity]:
    """Matches of ``text`` (all words, prefixes) among online activities anywhere and
    local activities of the territories within ``km`` of ``near``; best matches
    first."""
    found = _search_queryset(text=text, near=near, km=km, exclude=exclude)[:limit]
    with transaction.atomic(), connection.cursor() as cursor:
        # Parallel workers and JIT compilation cost more to start than this query
        # takes to run (the distance test makes the planner overestimate it).
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off")
        return list(found)


def nearby_territory_ids(near: Point, km: int) -> list[int]:
    """Territories whose centre is within ``km`` of ``near`` (a table of a few hundred
    rows at most)."""
    return list(
        Territory.objects.filter(
            pk__in=RawSQL(
                "SELECT id FROM tenants_territory"
                " WHERE ST_DWithin(map_center::geography, ST_GeogFromText(%s), %s)",
                (near.wkt, km * 1000),
            )
        ).values_list("pk", flat=True)
    )


def _search_queryset(
    *, text: str, near: Point | None, km: int, exclude: Territory | None
) -> QuerySet[NetworkActivity]:
    found = NetworkActivity.objects.filter(territory__status__in=SEARCHABLE_STATUSES)
    if exclude is not None:
        found = found.exclude(territory=exclude)
    nearby = nearby_territory_ids(near, km) if near is not None and km > 0 else []
    terms = query_terms(text)
    if terms:
        words = tsquery_text(terms)
        # The place tokens written by actions.VECTOR_EXPRESSION: the index returns only
        # online activities and local ones of nearby territories.
        place = " | ".join(["zzonline", *(f"zzlocal{pk}" for pk in nearby)])
        matches = SearchQuery(f"({words}) & ({place})", search_type="raw", config=SEARCH_CONFIG)
        query = SearchQuery(words, search_type="raw", config=SEARCH_CONFIG)
        # Very common words match thousands of activities: rank the first CANDIDATES
        # found (reading and ranking every match is what costs), as the catalogue
        # caps its counts.
        candidates = found.filter(search_vector=matches).values("pk")[:CANDIDATES]
        return (
            NetworkActivity.objects.filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")
            .select_related("territory")
            .defer("search_vector")
        )
    # Without words: newest first, read along the primary key (no sort of every
    # online activity of the network).
    return (
        found.filter(Q(is_online=True) | Q(is_local=True, territory_id__in=nearby))
        .order_by("-pk")
        .select_related("territory")
        .defer("search_vector")
    )


def online_activities(
    refs: Iterable[tuple[str, int]],
) -> dict[tuple[str, int], NetworkActivity]:
    """Online activities of live territories by (territory slug, activity id), for
    references kept elsewhere (a playlist step pointing at another city's online
    course): one query, and only what is public and searchable right now."""
    wanted = {(slug, int(activity_id)) for slug, activity_id in refs}
    if not wanted:
        return {}
    rows = NetworkActivity.objects.filter(
        territory__status__in=SEARCHABLE_STATUSES,
        territory__slug__in={slug for slug, _id in wanted},
        activity_id__in={activity_id for _slug, activity_id in wanted},
        is_online=True,
    ).select_related("territory")
    found = {(row.territory.slug, row.activity_id): row for row in rows}
    return {ref: row for ref, row in found.items() if ref in wanted}
