"""The network search: online activities of the whole network and local activities
of territories near a point, from the public index, in one query."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from shared_apps.netsearch.models import SEARCH_CONFIG, NetworkActivity
from tenant_apps.catalogue.search import query_terms, tsquery_text
from tenants.models import Territory

# A suspended or archived territory's activities disappear from the network at once.
SEARCHABLE_STATUSES = (Territory.Status.TRIAL, Territory.Status.ACTIVE)
LIMIT = 50


def network_search(
    *,
    text: str,
    near: Point | None,
    km: int,
    exclude: Territory | None = None,
    limit: int = LIMIT,
) -> QuerySet[NetworkActivity]:
    """Matches of ``text`` (all words, prefixes) among online activities anywhere and
    local activities within ``km`` of ``near``; best matches first."""
    found = NetworkActivity.objects.filter(territory__status__in=SEARCHABLE_STATUSES)
    if exclude is not None:
        found = found.exclude(territory=exclude)
    where = Q(is_online=True)
    if near is not None and km > 0:
        where |= Q(is_local=True, point__dwithin=(near, D(km=km)))
    found = found.filter(where)
    terms = query_terms(text)
    if terms:
        query = SearchQuery(tsquery_text(terms), search_type="raw", config=SEARCH_CONFIG)
        found = (
            found.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")
        )
    else:
        found = found.order_by("title", "pk")
    return found.select_related("territory").defer("search_vector")[:limit]
