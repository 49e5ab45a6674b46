"""Finding activities: full-text search in the territory's language, filters, sorting,
typo correction and highlighted matches.

A results page costs a constant number of queries: the count and the page (plus,
only when nothing matched a search, one query to correct misspelt words and the
count and page again with the corrected words).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.models import BooleanField, F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shared_apps.core.pagecache import public_version
from shared_apps.core.searchterms import query_terms, tsquery_text
from tenant_apps.catalogue.filters import Filters, date_window
from tenant_apps.catalogue.indexing import (
    SIMPLE_CONFIG,
    catch_up_next_dates,
    search_config,
)
from tenant_apps.catalogue.maplayer import to_mercator
from tenant_apps.catalogue.models import Activity, Interest

PER_PAGE = 20
COUNT_LIMIT = 1000
MAX_PAGE = COUNT_LIMIT // PER_PAGE + 1
_START, _STOP = "\x02", "\x03"


def territory_today(tz_name: str) -> datetime.date:
    return timezone.now().astimezone(ZoneInfo(tz_name)).date()


def search_configs(language: str, visitor_language: str = "") -> tuple[str, ...]:
    """The configurations a search is parsed with: the territory's language, the
    visitor's (an English query on a Lithuanian site), and the accent-free simple one
    for any other language; the vector holds every language (indexing.refresh)."""
    configs = [search_config(language)]
    if visitor_language:
        configs.append(search_config(visitor_language.split("-")[0].lower()))
    configs.append("public." + SIMPLE_CONFIG)
    return tuple(dict.fromkeys(configs))


def text_query(terms: Sequence[str], configs: Sequence[str]) -> SearchQuery:
    """Every word must match, in one of the configurations: one tsquery
    (``q1 || q2 || q3``), which the GIN index answers in one scan."""
    words = tsquery_text(terms)
    queries = [SearchQuery(words, config=cfg, search_type="raw") for cfg in configs]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


# "Public" written so that no partial index (WHERE is_public) can be proven usable.
PUBLIC_NO_PARTIAL_INDEX = RawSQL(
    '"catalogue_activity"."is_public" IS TRUE', (), output_field=BooleanField()
)


def current(today: datetime.date, *, text_search: bool = False) -> QuerySet[Activity]:
    """Public activities that have not ended (always-open ones end on OPEN_END).

    ``text_search``: publicity is written ``is_public IS TRUE``, from which PostgreSQL
    cannot prove the partial indexes' ``is_public``, so a free-text search reads the
    text's GIN index. Otherwise a broad prefix ("rob:*", estimated to match every row:
    the frequencies of its lexemes add up) made it read a whole partial index's bitmap
    and the search vector of every public activity: 1.2 s instead of 0.3 s for
    "robot" over 100,000 activities on a loaded machine (issue 17)."""
    if text_search:
        return Activity.objects.filter(PUBLIC_NO_PARTIAL_INDEX, last_date__gte=today)
    return Activity.objects.filter(is_public=True, last_date__gte=today)


def on_days(first: datetime.date, last: datetime.date) -> Q:
    """Takes place on at least one day between ``first`` and ``last`` (included)."""
    span = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    return (
        Q(days__overlap=span)
        | Q(schedule_kind=Activity.ScheduleKind.OPEN)
        | Q(schedule_kind=Activity.ScheduleKind.RANGE, first_date__lte=last, last_date__gte=first)
    )


def soonest_in_window_ids(
    unwindowed: QuerySet[Activity],
    window: tuple[datetime.date, datetime.date],
    *,
    start: int,
    per_page: int,
) -> list[int]:
    """The page's ids, soonest first, of activities on a day of ``window`` (which starts
    today or later), as two index walks merged instead of one filtered walk.

    Sorted by next day, the always-open activities (no next day) come last: with a
    "when" filter, a single walk of the next-day index must pass every dated activity
    outside the window before reaching them (150 ms over 20,000 activities for
    weekend + interest). But a dated activity on a day of the window has its next day
    on or before the window's end, so its walk is bounded (next_date <= the window's
    end), and the open ones (which sort after every dated one) are a walk of their
    own; each walk stops after a page's worth of rows.

    Bounded above only: when the window starts after today ("this weekend" on a
    Thursday), an activity on Thursday and Saturday has its next day (today) before
    the window and must still be listed (it was not, until issue 17); next days are
    never before today, so the walk covers the days from today to the window's end."""
    first, last = window
    dated = unwindowed.filter(
        Q(
            days__overlap=[
                first + datetime.timedelta(days=n) for n in range((last - first).days + 1)
            ]
        )
        | Q(schedule_kind=Activity.ScheduleKind.RANGE, first_date__lte=last, last_date__gte=first),
        next_date__lte=last,
    ).exclude(schedule_kind=Activity.ScheduleKind.OPEN)
    always = unwindowed.filter(schedule_kind=Activity.ScheduleKind.OPEN)
    # Each walk stops after the rows the page can need (its own ORDER BY and LIMIT).
    enough = start + per_page
    merged = (
        dated.order_by("next_date", "id")
        .values_list("next_date", "id")[:enough]
        .union(always.order_by("id").values_list("next_date", "id")[:enough], all=True)
        .order_by("next_date", "id")
    )
    return [pk for _day, pk in merged[start:enough]]


def apply_filters(
    queryset: QuerySet[Activity],
    filters: Filters,
    *,
    interests: Sequence[Interest],
    today: datetime.date,
    terms: Sequence[str] = (),
    configs: Sequence[str] = (),
    with_window: bool = True,
) -> QuerySet[Activity]:
    """Every filter except sorting. ``interests`` maps the filter's slugs to ids.
    ``with_window=False`` leaves out the "when" filter (the caller applies it)."""
    if terms:
        queryset = queryset.filter(search_vector=text_query(terms, configs or search_configs("")))
    if filters.interests:
        wanted = set(filters.interests)
        ids = [i.pk for i in interests if i.slug in wanted]
        queryset = queryset.filter(interest_ids__overlap=ids or [0])
    if filters.age is not None:
        queryset = queryset.filter(age_min__lte=filters.age, age_max__gte=filters.age)
    if filters.cost:
        cost = Q()
        if "free" in filters.cost:
            cost |= Q(is_free=True)
        if "voucher" in filters.cost:
            cost |= Q(voucher=True)
        queryset = queryset.filter(cost)
    if filters.formats:
        # Hybrid activities can be joined either way.
        formats = set(filters.formats)
        if formats & {"local", "online"}:
            formats.add(Activity.Format.HYBRID)
        queryset = queryset.filter(format__in=sorted(formats))
    window = date_window(filters, today) if with_window else None
    if window is not None:
        queryset = queryset.filter(on_days(*window))
    if filters.near is not None:
        x0, y0, radius = _mercator_circle(filters.near, filters.radius_km)
        queryset = queryset.alias(mercator_d2=_mercator_d2(x0, y0)).filter(
            map_x__range=(x0 - radius, x0 + radius),
            map_y__range=(y0 - radius, y0 + radius),
            mercator_d2__lte=radius * radius,
        )
    if filters.languages:
        queryset = queryset.filter(languages__overlap=list(filters.languages))
    if filters.access:
        queryset = queryset.filter(accessibility__contains=list(filters.access))
    if filters.provider:
        queryset = queryset.filter(provider__slug=filters.provider)
    if filters.venue is not None:
        queryset = queryset.filter(venue_id=filters.venue)
    return queryset


def _mercator_circle(near: tuple[float, float], radius_km: float) -> tuple[float, float, float]:
    """Centre and radius of a distance filter in the Web Mercator metres stored with
    each activity (the map's columns): a btree box plus a circle, much cheaper than
    geodesic distances. Mercator stretches lengths by 1/cos(latitude); over a few km
    that factor is constant to within 0.1 %."""
    lat, lon = near
    x0, y0 = to_mercator(lat, lon)
    return x0, y0, radius_km * 1000 / math.cos(math.radians(lat))


def _mercator_d2(x0: float, y0: float) -> Any:
    return (F("map_x") - Value(x0)) * (F("map_x") - Value(x0)) + (F("map_y") - Value(y0)) * (
        F("map_y") - Value(y0)
    )


def point_of(near: tuple[float, float]) -> Point:
    lat, lon = near
    return Point(lon, lat, srid=4326)


def effective_sort(filters: Filters, terms: Sequence[str]) -> str:
    if filters.sort == "distance" and filters.near is None:
        return "date"
    if filters.sort:
        return filters.sort
    return "relevance" if terms else "date"


def sorted_queryset(
    queryset: QuerySet[Activity],
    filters: Filters,
    *,
    sort: str,
    today: datetime.date,
    query: SearchQuery | None,
) -> QuerySet[Activity]:
    if sort == "relevance" and query is not None:
        return by_relevance(queryset, query)
    if sort == "distance" and filters.near is not None:
        # The geography's KNN operator: the GiST index (cat_act_public_knn_gist) yields
        # rows nearest first, so a page reads a page's worth of rows. Ordered by the
        # distance alone: a second key ("id", for ties) makes PostgreSQL sort every
        # match in the radius instead (80 ms instead of 1-2 ms over 100,000 activities
        # for sport + age within 5 km, issue 17). Ties (activities of one venue) come
        # in the index's order, the same for every page of a search, so pages neither
        # repeat nor skip them.
        lat, lon = filters.near
        knn = RawSQL(
            '"catalogue_activity"."location" <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography',
            (lon, lat),
            output_field=FloatField(),
        )
        return queryset.alias(knn=knn).order_by("knn")
    if sort == "new":
        return queryset.order_by(F("published_at").desc(nulls_last=True), "-id")
    return queryset.order_by(F("next_date").asc(nulls_last=True), "id")


# The title words of the ranking vector (every language's title, weight A), as the
# expression index cat_act_title_gin (migration 0011) is written: the planner matches
# an index expression by its text.
TITLE_WORDS = RawSQL(
    """ts_filter("catalogue_activity"."rank_vector", '{a}')""",
    [],  # a list: the @@ lookup adds its own parameters to these
    output_field=SearchVectorField(),
)


def by_relevance(queryset: QuerySet[Activity], query: SearchQuery) -> QuerySet[Activity]:
    """Best match first (ts_rank of the title and summary), then soonest, then id."""
    return queryset.annotate(rank=SearchRank(F("rank_vector"), query)).order_by(
        "-rank", F("next_date").asc(nulls_last=True), "id"
    )


def in_title_query(terms: Sequence[str], configs: Sequence[str]) -> SearchQuery:
    """text_query() with every word restricted to weight A (titles): on the ranking
    vector it matches exactly the rows title_matches() finds on its title words, and
    tests a row without copying its vector (ts_filter does)."""
    words = " & ".join(
        f"{part}A" if part.endswith(":*") else f"{part}:A"
        for part in tsquery_text(terms).split(" & ")
    )
    queries = [SearchQuery(words, config=cfg, search_type="raw") for cfg in configs]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def title_matches(untexted: QuerySet[Activity], query: SearchQuery) -> QuerySet[Activity]:
    """The activities of ``untexted`` (the filters without the words) whose title, in
    any language, holds every word: each is a match, since the search vector holds
    every title word the ranking vector does (both are written together:
    indexing.COMPUTED_TEMPLATE). Read on cat_act_title_gin."""
    return untexted.alias(title_words=TITLE_WORDS).filter(title_words=query)


def relevance_ids(
    filtered: QuerySet[Activity],
    titled: QuerySet[Activity],
    query: SearchQuery,
    in_title: SearchQuery,
    *,
    start: int,
    per_page: int,
) -> list[int]:
    """The page's ids, best match first, in two tiers: the activities whose title
    matches every word, ranked; then the others, ranked. One query (a UNION ALL of two
    limited walks): PostgreSQL runs the second only when the first does not fill the
    page, so a broad word ("robot": 17,000 of 100,000 activities) ranks the title
    matches (5,000) instead of every match (issue 17: that page's SQL took 82 ms, now
    23 ms, EXPLAIN ANALYZE on a loaded machine).

    ``titled``: title_matches() of the same filters; ``in_title``: in_title_query()
    of the words. The first tier reads the title index alone, the second every match
    but those.

    The relevance trade-off (one-word searches only, see _run): an activity whose
    title holds the word comes before one whose title does not, whatever their ranks.
    ts_rank weighs a title occurrence 1.0 and a summary one 0.4, so this is the exact
    ranking except where a summary holds several forms of a prefix ("robot:*":
    "robotai", "robotų", "robotika", each counted) and outscores a title's single
    one; such an activity then comes right after the title matches, which is what a
    visitor expects anyway. Over the benchmark's generated catalogue the pages are
    the exact ranking's (tests/tenant_apps/catalogue/test_search.py compares them)."""
    enough = start + per_page
    others = filtered.exclude(rank_vector=in_title)
    first = by_relevance(titled, query).values_list("id", flat=True)[:enough]
    rest = by_relevance(others, query).values_list("id", flat=True)[:enough]
    # No ORDER BY around the union: the tiers come in order (Append runs its branches
    # one after the other; parallel append, which could mix them, is off for text
    # searches: index_friendly_planner), and the outer LIMIT stops it after the page.
    return list(first.union(rest, all=True)[start:enough])


def _mark(text: str | None) -> SafeString:
    """Escape a ts_headline result, then turn its sentinels into <mark>."""
    escaped = escape(text or "")
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


@dataclass
class SearchPage:
    items: list[Activity]
    total: int
    number: int
    per_page: int
    terms: list[str]
    sort: str
    corrected: str = ""
    interests_by_id: dict[int, Interest] = field(default_factory=dict)

    @property
    def more_than_limit(self) -> bool:
        """``total`` is COUNT_LIMIT + 1: there are more than COUNT_LIMIT results."""
        return self.total > COUNT_LIMIT

    @property
    def count_limit(self) -> int:
        return COUNT_LIMIT

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return 0 if not self.total else (self.number - 1) * self.per_page + 1


# What a result card shows (everything else stays in storage: descriptions are big).
CARD_FIELDS = (
    "id",
    "title",
    "summary",
    "translations",
    "format",
    "age_min",
    "age_max",
    "is_free",
    "price",
    "voucher",
    "schedule_kind",
    "weekdays",
    "start_time",
    "image",
    "image_alt",
    "interest_ids",
    "languages",
    "published_at",
    "next_date",
    "provider__name",
    "provider__slug",
    "provider__logo",
    "venue__name",
    "venue__neighbourhood",
)


def _run(
    base: QuerySet[Activity],
    filters: Filters,
    *,
    terms: list[str],
    configs: Sequence[str],
    interests: Sequence[Interest],
    today: datetime.date,
    page: int,
    per_page: int,
    fields: Sequence[str] = CARD_FIELDS,
    own_base: bool = False,
) -> tuple[int, list[Activity], str]:
    """At most three queries: the page's ids (sorted, on the activity table alone), the
    count (only when the page does not tell it, and cached) and the page's rows with
    provider, venue and highlights (for those ids only)."""
    filtered = apply_filters(
        base, filters, interests=interests, today=today, terms=terms, configs=configs
    )
    sort = effective_sort(filters, terms)
    query = text_query(terms, configs) if terms else None
    # Highlights in the original texts, in the territory's language (a card in another
    # language shows its translation, unmarked).
    config = configs[0]
    start = (page - 1) * per_page
    window = date_window(filters, today)
    # One word only: reading the title index costs the postings of each word in the
    # titles, which for one word are the title matches themselves (few, or enough to
    # fill the page), but several words can each be in thousands of titles and never
    # in the same one ("muzikos studija": 0 titles of 11,970 matches over 100,000, and
    # 10 ms more for nothing). Several words also match fewer activities.
    titled = (
        title_matches(apply_filters(base, filters, interests=interests, today=today), query)
        if query is not None and len(terms) == 1
        else None
    )
    # Short windows only ("today", "this weekend"): over a week or more most dated
    # activities match, and the single walk of the next-day index finds a page at once.
    if (
        sort == "date"
        and window is not None
        and window[0] >= today
        and (window[1] - window[0]).days < SHORT_WINDOW_DAYS
    ):
        unwindowed = apply_filters(
            base,
            filters,
            interests=interests,
            today=today,
            terms=terms,
            configs=configs,
            with_window=False,
        )
        ids = soonest_in_window_ids(unwindowed, window, start=start, per_page=per_page)
    elif sort == "relevance" and titled is not None and query is not None:
        in_title = in_title_query(terms, configs)
        ids = relevance_ids(filtered, titled, query, in_title, start=start, per_page=per_page)
    else:
        ordered = sorted_queryset(filtered, filters, sort=sort, today=today, query=query)
        ids = list(ordered.values_list("id", flat=True)[start : start + per_page])
    if ids and len(ids) < per_page:
        # The last page: everything before it was full, so the count is known.
        total = min(start + len(ids), COUNT_LIMIT + 1)
    elif not ids and page == 1:
        total = 0
    else:
        # The search's own inputs name its count (no SQL to compile for a cached one,
        # issue 17), unless the caller gave its own base queryset.
        wanted = set(filters.interests)
        count_of = (
            None
            if own_base
            else (
                dataclasses.replace(filters, sort=""),
                tuple(terms),
                tuple(configs),
                today,
                tuple(i.pk for i in interests if i.slug in wanted),
            )
        )
        total = _count(filtered, count_of, titled=titled)
    if not total or not ids:
        return total, [], sort
    # No ORDER BY: the page keeps the order of ``ids``.
    rows = (
        Activity.objects.filter(pk__in=ids)
        .select_related("provider", "venue")
        .only(*fields)
        .order_by()
    )
    if filters.near is not None:
        rows = rows.annotate(distance=Distance("location", point_of(filters.near)))
    if query is not None:
        rows = rows.annotate(
            title_marked=SearchHeadline(
                "title", query, config=config, start_sel=_START, stop_sel=_STOP, highlight_all=True
            ),
            summary_marked=SearchHeadline(
                "summary",
                query,
                config=config,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=40,
                min_words=20,
            ),
        )
    by_id = {row.pk: row for row in rows}
    items = [by_id[pk] for pk in ids if pk in by_id]
    for item in items:
        if query is not None:
            # ts_headline drops anything that looks like a tag; keep such titles as typed.
            title_marked = getattr(item, "title_marked", "")
            item.title_html = _mark(title_marked) if "<" not in item.title else escape(item.title)  # type: ignore[attr-defined]
            item.summary_html = _mark(getattr(item, "summary_marked", ""))  # type: ignore[attr-defined]
        else:
            item.title_html = escape(item.title)  # type: ignore[attr-defined]
            item.summary_html = escape(item.summary)  # type: ignore[attr-defined]
    return total, items, sort


COUNT_CACHE_SECONDS = 300
SHORT_WINDOW_DAYS = 3


def _count(
    filtered: QuerySet[Activity],
    inputs: tuple[Any, ...] | None = None,
    *,
    titled: QuerySet[Activity] | None = None,
) -> int:
    """How many activities match, up to COUNT_LIMIT + 1: "more than 1,000" is all
    anyone needs to know, and broad searches then cost what narrow ones do. Cached per
    territory under the search's ``inputs`` (filters but the sort, words, text
    configurations, today, the interests' ids), or else the query's own SQL and
    parameters, and the public content version, which every publish action bumps:
    paging, sorting and the same search by the next visitor do not count again.

    ``titled``: the title matches of a one-word search (title_matches), counted
    first. The LIMIT does not make a text search's count cheap: a GIN index is read
    into a bitmap of every match before the first row (17,000 for "robot" over
    100,000 activities); the title index holds fewer, and when more than COUNT_LIMIT
    titles match, that is the answer."""
    counting = filtered.order_by()[: COUNT_LIMIT + 1]
    if inputs is None:
        sql, params = counting.query.sql_with_params()
        named = f"{sql}|{params!r}"
    else:
        named = repr(inputs)
    digest = hashlib.sha256(named.encode()).hexdigest()[:40]
    key = f"catalogue:count:{public_version()}:{digest}"
    total: int | None = cache.get(key)
    if total is None:
        total = counting.count() if titled is None else _count_titles_first(filtered, titled)
        cache.set(key, total, COUNT_CACHE_SECONDS)
    return total


def _count_titles_first(filtered: QuerySet[Activity], titled: QuerySet[Activity]) -> int:
    """One statement: the title matches up to COUNT_LIMIT + 1 and, only when they are
    fewer (a CASE runs an uncorrelated subquery when it reaches it), every match."""
    title_sql, title_params = (
        titled.order_by().values("id")[: COUNT_LIMIT + 1].query.sql_with_params()
    )
    all_sql, all_params = (
        filtered.order_by().values("id")[: COUNT_LIMIT + 1].query.sql_with_params()
    )
    # Both parts are SQL compiled by Django from querysets; every value is a parameter.
    sql = "".join(
        (
            "SELECT CASE WHEN (SELECT COUNT(*) FROM (",
            title_sql,
            ") titled) > %s THEN %s ELSE (SELECT COUNT(*) FROM (",
            all_sql,
            ") matched) END",
        )
    )
    with connections[filtered.db].cursor() as cursor:
        cursor.execute(sql, (*title_params, COUNT_LIMIT, COUNT_LIMIT + 1, *all_params))
        row = cursor.fetchone()
    return int(row[0]) if row else 0


CORRECTION_SQL = """
SELECT (
    SELECT w.word FROM catalogue_searchword w
    WHERE w.word %% t.term
    ORDER BY w.word <-> t.term, w.word
    LIMIT 1
)
FROM unnest(%s::text[]) WITH ORDINALITY AS t0(raw, n),
     LATERAL (SELECT unaccent(t0.raw) AS term) t
ORDER BY t0.n
"""


def corrected_terms(terms: Sequence[str]) -> list[str]:
    """Each word replaced by the closest known word of the catalogue (trigram
    similarity), or kept when nothing is close. One query for all words."""
    if not terms:
        return []
    with connection.cursor() as cursor:
        cursor.execute(CORRECTION_SQL, [list(terms)])
        found = [row[0] for row in cursor.fetchall()]
    return [best or term for term, best in zip(terms, found, strict=True)]


def read_alias() -> str:
    """The database this request's catalogue reads go to (the read replica for
    anonymous public pages when one is configured): planner settings must be made
    on that connection, inside a transaction there, or they apply to nothing."""
    return router.db_for_read(Activity) or DEFAULT_DB_ALIAS


def index_friendly_planner(
    *, text_search: bool, nearest_first: bool = False, using: str = DEFAULT_DB_ALIAS
) -> None:
    """For this transaction: the catalogue's rows are small and its indexes hot, so
    random reads cost about as much as sequential ones. And with free text: a broad
    prefix ("rob:*") is estimated at half the table, and a scan would read every row's
    out-of-line search vector (330 ms instead of 13 ms over 20,000 activities), so
    the GIN index must be used."""
    # JIT compilation costs more than these queries take (it cost 0.9 s once a
    # disabled plan node's cost crossed jit_above_cost).
    sql = "SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off"
    if nearest_first:
        # "Nearest first" reads the KNN index in its order even where a sort looks as
        # cheap (a small catalogue): activities at the same distance (one venue) then
        # come in the index's order on every page, never repeated or skipped.
        sql += "; SET LOCAL enable_sort = off"
    if text_search:
        sql += "; SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"
        # relevance_ids relies on a UNION ALL's branches coming in order.
        sql += "; SET LOCAL enable_parallel_append = off"
    with connections[using].cursor() as cursor:
        cursor.execute(sql)


def search(
    *,
    filters: Filters,
    language: str,
    tz_name: str,
    interests: Sequence[Interest],
    page: int = 1,
    per_page: int = PER_PAGE,
    base: QuerySet[Activity] | None = None,
    fields: Sequence[str] = CARD_FIELDS,
    visitor_language: str = "",
) -> SearchPage:
    """One page of results for the filters: words in the territory's ``language``, in
    the ``visitor_language`` (the page's), or unstemmed in any other."""
    today = territory_today(tz_name)
    catch_up_next_dates(today)
    own_base = base is not None
    configs = search_configs(language, visitor_language)
    terms = query_terms(filters.q)
    base = current(today, text_search=bool(terms)) if base is None else base
    page = max(1, min(page, MAX_PAGE))
    run_args: dict[str, Any] = {
        "configs": configs,
        "interests": interests,
        "today": today,
        "page": page,
        "per_page": per_page,
        "fields": fields,
        "own_base": own_base,
    }
    alias = read_alias()
    with transaction.atomic(using=alias):
        index_friendly_planner(
            text_search=bool(terms),
            nearest_first=effective_sort(filters, terms) == "distance",
            using=alias,
        )
        total, items, sort = _run(base, filters, terms=terms, **run_args)
        corrected = ""
        if not total and terms:
            better = corrected_terms(terms)
            if better != terms:
                total, items, sort = _run(base, filters, terms=better, **run_args)
                if total:
                    corrected = " ".join(better)
                    terms = better
    return SearchPage(
        items=items,
        total=total,
        number=page,
        per_page=per_page,
        terms=terms,
        sort=sort,
        corrected=corrected,
        interests_by_id={i.pk: i for i in interests},
    )
