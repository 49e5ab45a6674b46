"""The activities' search columns, recomputed in the database from their sources.

One UPDATE per batch of activities: visibility (published by a verified provider),
the weighted full-text vector in the territory's language, interest ids, the venue's
point (as geography for distances and as Web Mercator metres for the map) and its
accessibility features. Nothing else writes these columns.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

REFRESH_SQL = """
WITH src AS (
    SELECT a.id,
           a.is_public AS was_public,
           (a.status = 'published' AND p.status = 'verified') AS now_public,
           p.name AS provider_name,
           v.id AS venue_id, v.name AS venue_name, v.address, v.neighbourhood, v.point,
           v.step_free, v.accessible_toilet, v.hearing_loop, v.quiet_space,
           i.ids AS interest_ids, i.names AS interest_names
    FROM catalogue_activity a
    JOIN catalogue_provider p ON p.id = a.provider_id
    LEFT JOIN catalogue_venue v ON v.id = a.venue_id AND a.format <> 'online'
    LEFT JOIN LATERAL (
        SELECT array_agg(it.id ORDER BY it.id) AS ids,
               string_agg((SELECT string_agg(value, ' ') FROM jsonb_each_text(it.names)), ' ')
                   AS names
        FROM catalogue_activity_interests ai
        JOIN catalogue_interest it ON it.id = ai.interest_id
        WHERE ai.activity_id = a.id
    ) i ON true
    WHERE a.id = ANY(%(ids)s)
    FOR UPDATE OF a
)
UPDATE catalogue_activity a SET
    is_public = src.now_public,
    search_vector =
        setweight(to_tsvector(%(cfg)s::regconfig, a.title), 'A')
        || setweight(to_tsvector(%(cfg)s::regconfig,
               a.summary || ' ' || array_to_string(a.skills, ' ') || ' '
               || coalesce(src.interest_names, '') || ' ' || src.provider_name), 'B')
        || setweight(to_tsvector(%(cfg)s::regconfig,
               regexp_replace(a.description, '<[^>]*>', ' ', 'g')), 'C')
        || setweight(to_tsvector(%(cfg)s::regconfig,
               coalesce(src.venue_name, '') || ' ' || coalesce(src.neighbourhood, '') || ' '
               || coalesce(src.address, '')), 'D'),
    rank_vector =
        setweight(to_tsvector(%(cfg)s::regconfig, a.title), 'A')
        || setweight(to_tsvector(%(cfg)s::regconfig, a.summary), 'B'),
    interest_ids = coalesce(src.interest_ids, '{}'),
    location = src.point::geography,
    map_x = ST_X(ST_Transform(src.point, 3857)),
    map_y = ST_Y(ST_Transform(src.point, 3857)),
    accessibility = CASE WHEN src.venue_id IS NULL THEN '{}'::varchar[]
                         ELSE array_remove(ARRAY[
                             CASE WHEN src.step_free THEN 'step_free' END,
                             CASE WHEN src.accessible_toilet THEN 'accessible_toilet' END,
                             CASE WHEN src.hearing_loop THEN 'hearing_loop' END,
                             CASE WHEN src.quiet_space THEN 'quiet_space' END
                         ]::varchar[], NULL) END
FROM src
WHERE a.id = src.id
RETURNING a.id, src.was_public, src.now_public
"""

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
    from tenant_apps.catalogue.search import search_config

    if not activity_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL, {"ids": list(activity_ids), "cfg": search_config(language)})
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
