"""The activities' search columns, recomputed in the database from their sources.

One UPDATE per batch of activities: visibility (published by a verified provider),
the weighted full-text vector, interest ids, the venue's point (as geography for
distances and as Web Mercator metres for the map) and its accessibility features.
Nothing else writes these columns.

The vector holds every language the activity is written in (issue 16, item 8): the
original texts stemmed in the territory's language, each translation (the
``translations`` JSON) stemmed in its own language, and the titles and summaries of
all of them once more with the accent-free ``simple`` configuration, so a query in
the visitor's language, in the territory's, or in any unstemmed language finds it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

# PostgreSQL text search configurations created by migration 0002 (accent-free
# stemming); Slovenian, and any language without a stemmer, use the simple one.
SEARCH_CONFIGS = {
    "en": "catalogue_en",
    "lt": "catalogue_lt",
    "it": "catalogue_it",
    "fi": "catalogue_fi",
    "de": "catalogue_de",
    "fr": "catalogue_fr",
    "es": "catalogue_es",
    "nl": "catalogue_nl",
}
SIMPLE_CONFIG = "catalogue_simple"


def search_config(language: str) -> str:
    return "public." + SEARCH_CONFIGS.get(language, SIMPLE_CONFIG)


def _translated(language: str, field: str) -> str:
    """A translated text of the row as SQL (empty when not translated). ``language``
    comes from settings.LANGUAGES, never from input; it is checked anyway, as it is
    written into the statement."""
    if not language.replace("-", "").isalnum():
        raise ValueError(language)
    text = f"coalesce(a.translations -> '{language}' ->> '{field}', '')"
    if field == "description":
        return f"regexp_replace({text}, '<[^>]*>', ' ', 'g')"
    return text


def _translated_vectors(*, fields: tuple[tuple[str, str], ...]) -> str:
    """``|| setweight(to_tsvector(<its config>, <translated field>), <weight>)`` for
    every language of the platform: translations are stemmed in their own language.
    A fixed list (9 languages) rather than a loop over the JSON: each part needs its
    own configuration, and an empty text costs nothing."""
    parts = []
    for language, _name in settings.LANGUAGES:
        for field, weight in fields:
            cfg = search_config(language)
            parts.append(
                f"|| setweight(to_tsvector('{cfg}', {_translated(language, field)}), '{weight}')"
            )
    # Most activities have no translation: 27 empty vectors skipped per row (a quarter
    # of the vector's cost in a 50,000-row import, issue 18); the same vector either way.
    return (
        "|| CASE WHEN a.translations = '{}'::jsonb THEN ''::tsvector ELSE ''::tsvector\n        "
        + "\n        ".join(parts)
        + " END"
    )


def _all_languages(field: str) -> str:
    """The original text and every translation of ``field``, one string."""
    texts = [f"a.{field}"] + [_translated(language, field) for language, _ in settings.LANGUAGES]
    return "concat_ws(' ', " + ", ".join(texts) + ")"


# What the search columns are computed from: each activity row ``a`` (the stored row,
# or an import's staged row) with its provider ``p``, venue ``v`` and interests ``i``.
# ``{rows}`` is the relation the rows come from, ``{was_public}`` their visibility
# before the write, ``{interests}`` the query of their interests and ``{where}`` the
# rows taken.
SOURCE_TEMPLATE = """
src AS (
    SELECT a.id,
           {was_public} AS was_public,
           (a.status = 'published' AND p.status = 'verified') AS now_public,
           p.name AS provider_name,
           v.id AS venue_id, v.name AS venue_name, v.address, v.neighbourhood, v.point,
           v.step_free, v.accessible_toilet, v.hearing_loop, v.quiet_space,
           i.ids AS interest_ids, i.names AS interest_names
    FROM {rows} a
    JOIN catalogue_provider p ON p.id = a.provider_id
    LEFT JOIN catalogue_venue v ON v.id = a.venue_id AND a.format <> 'online'
    LEFT JOIN LATERAL (
        -- Ordered by id: the names' order sets the words' positions in the vector.
        SELECT array_agg(it.id ORDER BY it.id) AS ids,
               string_agg((SELECT string_agg(value, ' ') FROM jsonb_each_text(it.names)), ' '
                          ORDER BY it.id) AS names
        {interests}
    ) i ON true
    {where}
)"""

# The interests of a stored activity, and of a staged one (its interest_ids column
# holds the ids the import checked).
STORED_INTERESTS = """FROM catalogue_activity_interests ai
        JOIN catalogue_interest it ON it.id = ai.interest_id
        WHERE ai.activity_id = a.id"""
STAGED_INTERESTS = "FROM catalogue_interest it WHERE it.id = ANY(a.interest_ids)"

# Each search column and its value, over ``a`` and ``src``.
COMPUTED_TEMPLATE = {
    "is_public": "src.now_public",
    "search_vector": """
        setweight(to_tsvector(%(cfg)s::regconfig, a.title), 'A')
        || setweight(to_tsvector(%(cfg)s::regconfig,
               a.summary || ' ' || array_to_string(a.skills, ' ') || ' '
               || coalesce(src.interest_names, '') || ' ' || src.provider_name), 'B')
        || setweight(to_tsvector(%(cfg)s::regconfig,
               regexp_replace(a.description, '<[^>]*>', ' ', 'g')), 'C')
        || setweight(to_tsvector(%(cfg)s::regconfig,
               coalesce(src.venue_name, '') || ' ' || coalesce(src.neighbourhood, '') || ' '
               || coalesce(src.address, '')), 'D')
        {translated_search}
        || setweight(to_tsvector('public.catalogue_simple', {all_titles}), 'A')
        || setweight(to_tsvector('public.catalogue_simple',
               {all_summaries} || ' ' || coalesce(src.interest_names, '')), 'B')""",
    "rank_vector": """
        setweight(to_tsvector(%(cfg)s::regconfig, a.title), 'A')
        || setweight(to_tsvector(%(cfg)s::regconfig, a.summary), 'B')
        {translated_rank}
        || setweight(to_tsvector('public.catalogue_simple', {all_titles}), 'A')
        || setweight(to_tsvector('public.catalogue_simple', {all_summaries}), 'B')""",
    "interest_ids": "coalesce(src.interest_ids, '{}')",
    "location": "src.point::geography",
    "map_x": "ST_X(ST_Transform(src.point, 3857))",
    "map_y": "ST_Y(ST_Transform(src.point, 3857))",
    "accessibility": """CASE WHEN src.venue_id IS NULL THEN '{}'::varchar[]
                         ELSE array_remove(ARRAY[
                             CASE WHEN src.step_free THEN 'step_free' END,
                             CASE WHEN src.accessible_toilet THEN 'accessible_toilet' END,
                             CASE WHEN src.hearing_loop THEN 'hearing_loop' END,
                             CASE WHEN src.quiet_space THEN 'quiet_space' END
                         ]::varchar[], NULL) END""",
}
COMPUTED_COLUMNS = tuple(COMPUTED_TEMPLATE)


def computed() -> dict[str, str]:
    """COMPUTED_TEMPLATE with the per-language parts written out (placeholders are
    replaced, not formatted: the statement holds literal braces)."""
    parts = {
        "{translated_search}": _translated_vectors(
            fields=(("title", "A"), ("summary", "B"), ("description", "C"))
        ),
        "{translated_rank}": _translated_vectors(fields=(("title", "A"), ("summary", "B"))),
        "{all_titles}": _all_languages("title"),
        "{all_summaries}": _all_languages("summary"),
    }
    expressions = {}
    for column, template in COMPUTED_TEMPLATE.items():
        for placeholder, text in parts.items():
            template = template.replace(placeholder, text)
        expressions[column] = template
    return expressions


def source_sql(*, rows: str, was_public: str, interests: str, where: str) -> str:
    """The ``src`` common table expression over ``rows`` (trusted SQL: table names and
    fixed fragments of this module and of catalogue.bulk, never input)."""
    return (
        SOURCE_TEMPLATE.replace("{rows}", rows)
        .replace("{was_public}", was_public)
        .replace("{interests}", interests)
        .replace("{where}", where)
    )


def refresh_sql() -> str:
    """One UPDATE recomputing the search columns of the activities ``%(ids)s`` from
    their stored rows."""
    src = source_sql(
        rows="catalogue_activity",
        was_public="a.is_public",
        interests=STORED_INTERESTS,
        where="WHERE a.id = ANY(%(ids)s)\n    FOR UPDATE OF a",
    )
    assignments = ",\n    ".join(f"{column} = {sql}" for column, sql in computed().items())
    return (
        f"WITH {src}\nUPDATE catalogue_activity a SET\n    {assignments}\n"
        "FROM src\nWHERE a.id = src.id\nRETURNING a.id, src.was_public, src.now_public"
    )


# The words of public activities, for correcting misspelt searches.
WORDS_SQL = """
INSERT INTO catalogue_searchword (word)
SELECT DISTINCT w
FROM catalogue_activity a
JOIN catalogue_provider p ON p.id = a.provider_id,
     unnest(tsvector_to_array(to_tsvector('simple',
         unaccent(lower(a.title || ' ' || a.summary || ' ' || p.name))))) AS w
WHERE a.id = ANY(%(ids)s) AND a.is_public AND length(w) BETWEEN 3 AND 60
      AND w ~ '^[[:alpha:]]+$'
ON CONFLICT DO NOTHING
"""

INTEREST_WORDS_SQL = """
INSERT INTO catalogue_searchword (word)
SELECT DISTINCT w
FROM catalogue_interest it, jsonb_each_text(it.names) AS n(lang, name),
     unnest(tsvector_to_array(to_tsvector('simple', unaccent(lower(n.name))))) AS w
WHERE length(w) BETWEEN 3 AND 60 AND w ~ '^[[:alpha:]]+$'
ON CONFLICT DO NOTHING
"""


@dataclass(frozen=True)
class Visibility:
    activity_id: int
    was_public: bool
    is_public: bool


def refresh(activity_ids: Sequence[int], *, language: str) -> list[Visibility]:
    """Recompute the search columns of these activities; return their visibility
    before and after."""
    if not activity_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(refresh_sql(), {"ids": list(activity_ids), "cfg": search_config(language)})
        rows = cursor.fetchall()
    return [Visibility(int(pk), bool(was), bool(now)) for pk, was, now in rows]


def remember_words(activity_ids: Sequence[int]) -> None:
    if not activity_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(WORDS_SQL, {"ids": list(activity_ids)})


def remember_interest_words() -> None:
    with connection.cursor() as cursor:
        cursor.execute(INTEREST_WORDS_SQL)


# The next day of each public activity whose stored next day has passed: its first
# session day on or after today, or today itself inside a date range.
NEXT_DATES_SQL = """
UPDATE catalogue_activity SET next_date = CASE
    WHEN schedule_kind = 'range' THEN
        CASE WHEN last_date >= %(today)s THEN GREATEST(first_date, %(today)s) END
    ELSE (SELECT min(d) FROM unnest(days) AS d WHERE d >= %(today)s)
END
WHERE is_public AND next_date < %(today)s
"""


def catch_up_next_dates(today: datetime.date) -> None:
    """Move stored next days forward when the day changes, once a day per territory
    and process (the cache key carries the schema): a few thousand rows right after
    midnight, nothing on every other search. The UPDATE is idempotent, so processes
    racing at midnight are harmless."""
    if not cache.add(f"catalogue:next-dates:{today.isoformat()}", True, 26 * 3600):
        return
    with connection.cursor() as cursor:
        cursor.execute(NEXT_DATES_SQL, {"today": today})
