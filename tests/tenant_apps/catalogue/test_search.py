import datetime

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.filters import FilterForm, Filters
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.catalogue.search import search
from tenant_apps.catalogue.selectors import active_interests
from tenants.models import Territory
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, make_venue


def run(territory: Territory, visitor_language: str = "", **filters: object):
    with tenant_context(territory):
        return search(
            filters=Filters(**filters),  # type: ignore[arg-type]
            language=territory.default_language,
            tz_name=territory.timezone,
            interests=active_interests(),
            visitor_language=visitor_language,
        )


def titles(page) -> list[str]:
    return [a.title for a in page.items]


def test_lithuanian_stemming_and_missing_diacritics(territory_a, provider_a) -> None:
    make_activity(
        territory_a,
        provider_a,
        "Šokių studija jaunimui",
        summary="Šiuolaikinis šokis ir judesys.",
        interests=["arts"],
    )
    make_activity(
        territory_a,
        provider_a,
        "Robotikos būrelis",
        summary="Konstruojame ir programuojame.",
        interests=["robotics"],
    )
    assert titles(run(territory_a, q="šokis")) == ["Šokių studija jaunimui"]
    assert titles(run(territory_a, q="sokiu studija")) == ["Šokių studija jaunimui"]
    assert titles(run(territory_a, q="robot")) == ["Robotikos būrelis"]


def test_highlights_are_escaped_and_marked(territory_a, provider_a) -> None:
    make_activity(
        territory_a,
        provider_a,
        "Robotikos būrelis",
        summary="Konstruojame robotus <script>alert(1)</script> kartu & smagiai.",
    )
    page = run(territory_a, q="robotus")
    summary = str(page.items[0].summary_html)
    assert "<mark>" in summary
    assert "<script>" not in summary
    assert "&amp;" in summary


def test_typo_is_corrected(territory_a, provider_a) -> None:
    make_activity(territory_a, provider_a, "Robotikos būrelis")
    page = run(territory_a, q="robotkos")
    assert titles(page) == ["Robotikos būrelis"]
    assert page.corrected == "robotikos"


def test_slovenian_without_stemmer_ignores_accents(territory_b) -> None:
    provider = make_provider(territory_b, "Mladinski center Šiška")
    make_activity(territory_b, provider, "Čebelarski krožek za mlade", interests=["nature"])
    assert titles(run(territory_b, q="cebelarski")) == ["Čebelarski krožek za mlade"]
    assert titles(run(territory_b, q="čebelarski krožek")) == ["Čebelarski krožek za mlade"]
    # typo tolerance, simple configuration
    assert titles(run(territory_b, q="cebelrski")) == ["Čebelarski krožek za mlade"]


def test_unpublished_and_unverified_are_never_found(territory_a, provider_a) -> None:
    pending = make_provider(territory_a, "Pending org", status=Provider.Status.PENDING)
    make_activity(territory_a, provider_a, "Public robotics")
    make_activity(territory_a, provider_a, "Draft robotics", status=Activity.Status.DRAFT)
    make_activity(territory_a, provider_a, "Submitted robotics", status=Activity.Status.SUBMITTED)
    make_activity(territory_a, provider_a, "Archived robotics", status=Activity.Status.ARCHIVED)
    make_activity(territory_a, pending, "Unverified robotics")
    assert titles(run(territory_a, q="robotics")) == ["Public robotics"]
    assert run(territory_a).total == 1


def test_filters(territory_a, provider_a) -> None:
    near = make_venue(territory_a, provider_a, "Near", lat=54.69, lon=25.28, step_free=True)
    far = make_venue(territory_a, provider_a, "Far", lat=54.75, lon=25.40)
    make_activity(
        territory_a,
        provider_a,
        "Free local music",
        interests=["music"],
        venue=near,
        age_min=12,
        age_max=16,
    )
    make_activity(
        territory_a,
        provider_a,
        "Paid far music",
        interests=["music"],
        venue=far,
        is_free=False,
        price="20.00",
        voucher=True,
        languages=["en"],
        age_min=18,
    )
    make_activity(
        territory_a,
        provider_a,
        "Online coding",
        interests=["digital"],
        format="online",
        online_url="https://example.org/join",
    )
    assert titles(run(territory_a, interests=("music",), sort="new")) == [
        "Paid far music",
        "Free local music",
    ]
    assert titles(run(territory_a, age=14, interests=("music",))) == ["Free local music"]
    assert titles(run(territory_a, age=20, interests=("music",))) == ["Paid far music"]
    assert titles(run(territory_a, cost=("voucher",))) == ["Paid far music"]
    assert set(titles(run(territory_a, cost=("free",)))) == {"Free local music", "Online coding"}
    assert titles(run(territory_a, formats=("online",))) == ["Online coding"]
    assert titles(run(territory_a, access=("step_free",))) == ["Free local music"]
    assert titles(run(territory_a, languages=("en",))) == ["Paid far music"]
    assert titles(run(territory_a, near=(54.69, 25.28), radius_km=2)) == ["Free local music"]
    by_distance = run(territory_a, near=(54.75, 25.40), radius_km=25, sort="distance")
    assert titles(by_distance) == ["Paid far music", "Free local music"]


def test_date_filters_follow_the_schedule(territory_a, provider_a) -> None:
    today = datetime.date(2026, 11, 25)  # a Wednesday
    make_activity(
        territory_a,
        provider_a,
        "Saturday workshop",
        schedule_kind="weekly",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
        weekdays=[5],
        start_time=datetime.time(10, 0),
        exceptions=[datetime.date(2026, 11, 28)],
    )
    make_activity(territory_a, provider_a, "Always open lab", schedule_kind="open")
    with tenant_context(territory_a):
        base = Activity.objects.filter(is_public=True)
        from tenant_apps.catalogue.filters import date_window
        from tenant_apps.catalogue.search import apply_filters

        def on(window_filters: Filters) -> set[str]:
            window = date_window(window_filters, today)
            assert window is not None
            return set(
                apply_filters(base, window_filters, interests=[], today=today).values_list(
                    "title", flat=True
                )
            )

        # This weekend (28-29 Nov) the Saturday session is cancelled.
        assert on(Filters(when="weekend")) == {"Always open lab"}
        assert on(Filters(when="range", date_from=datetime.date(2026, 12, 5))) == {
            "Saturday workshop",
            "Always open lab",
        }
        assert on(Filters(when="today")) == {"Always open lab"}


def test_a_later_window_lists_activities_whose_next_day_comes_before_it(
    territory_a, provider_a
) -> None:
    """ "This weekend" asked on a Thursday: an activity on Thursday and on Saturday has
    its next day (today) before the window, and is still on the soonest-first page,
    as it is in the count."""
    from tenant_apps.catalogue import schedule as sched
    from tenant_apps.catalogue.search import territory_today

    today = territory_today(territory_a.timezone)
    first, last = today + datetime.timedelta(days=2), today + datetime.timedelta(days=3)
    noon = datetime.time(12, 0, tzinfo=datetime.UTC)
    make_activity(
        territory_a,
        provider_a,
        "Today and in the window",
        schedule_kind="sessions",
        sessions=[
            sched.Session(datetime.datetime.combine(day, noon))
            for day in (today, first + datetime.timedelta(days=1))
        ],
    )
    make_activity(
        territory_a,
        provider_a,
        "Every day for ten days",
        schedule_kind="range",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
    )
    make_activity(
        territory_a,
        provider_a,
        "Only today",
        schedule_kind="sessions",
        sessions=[sched.Session(datetime.datetime.combine(today, noon))],
    )
    page = run(territory_a, when="range", date_from=first, date_to=last, sort="date")
    assert page.total == 2
    assert sorted(titles(page)) == ["Every day for ten days", "Today and in the window"]


def test_malformed_filters_are_reported() -> None:
    form = FilterForm(
        {"age": "old", "near": "north", "sort": "distance", "when": "yesterday", "interest": "x"},
        interests=[],
    )
    assert not form.is_valid()
    assert set(form.errors) == {"age", "near", "when", "interest"}
    assert form.filters().age is None


def test_next_dates_move_forward_once_a_day(territory_a, provider_a) -> None:
    from tenant_apps.catalogue.indexing import catch_up_next_dates

    monday = datetime.date(2026, 11, 23)
    activity = make_activity(
        territory_a,
        provider_a,
        "Weekly",
        schedule_kind="weekly",
        starts_on=monday,
        ends_on=monday + datetime.timedelta(days=30),
        weekdays=[0, 3],
        start_time=datetime.time(16, 0),
    )
    with tenant_context(territory_a):
        Activity.objects.filter(pk=activity.pk).update(next_date=monday)
        catch_up_next_dates(monday + datetime.timedelta(days=1))
        activity.refresh_from_db()
        assert activity.next_date == monday + datetime.timedelta(days=3)  # Thursday
        Activity.objects.filter(pk=activity.pk).update(next_date=monday)
        catch_up_next_dates(monday + datetime.timedelta(days=1))  # same day: no work
        activity.refresh_from_db()
        assert activity.next_date == monday


@pytest.mark.parametrize(
    ("language", "document", "query"),
    [
        ("en", "Robotics clubs for teenagers", "club"),
        ("lt", "Šokių studijos jaunimui", "sokiu"),
        ("it", "Laboratorio di ceramica per ragazzi", "laboratori"),
        ("fi", "Nuorten kuvataidekerhot", "nuorten"),
        ("de", "Kostenlose Tanzkurse für Jugendliche", "tanzkurs"),
        ("fr", "Ateliers de théâtre pour les jeunes", "theatre"),
        ("es", "Talleres de robótica para jóvenes", "robotica"),
        ("nl", "Gratis danslessen voor jongeren", "dansles"),
        ("sl", "Čebelarski krožki za mlade", "cebelarski"),
    ],
)
def test_every_language_has_an_accent_free_configuration(
    db, language: str, document: str, query: str
) -> None:
    from django.db import connection

    from shared_apps.core.searchterms import tsquery_text
    from tenant_apps.catalogue.search import search_config

    config = search_config(language)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector(%s::regconfig, %s) @@ to_tsquery(%s::regconfig, %s)",
            [config, document, config, tsquery_text([query])],
        )
        assert cursor.fetchone()[0], (language, document, query)


def test_queries_in_other_languages_find_translated_activities(
    territory_a, territory_b, provider_a, provider_b
) -> None:
    """Issue 16 item 8: English on the Lithuanian site, accents left out, and never
    another territory's activities."""
    dance = make_activity(
        territory_a,
        provider_a,
        "Šokių studija jaunimui",
        summary="Šiuolaikinis šokis ir judesys.",
        interests=["arts"],
        translations={
            "en": {"title": "Dance studio for young people", "summary": "Contemporary moves."}
        },
    )
    make_activity(
        territory_a,
        provider_a,
        "Gitaros pamokos",
        summary="Mokomės groti nuo pradžių.",
        interests=["music"],
        translations={"en": {"title": "Guitar lessons", "description": "<p>For beginners</p>"}},
    )
    make_activity(territory_a, provider_a, "Robotikos būrelis", summary="Kuriame robotus.")
    make_activity(
        territory_b,
        provider_b,
        "Plesni tečaj",
        summary="Sodobni ples.",
        translations={"en": {"title": "Dance course", "summary": "Guitar lessons too."}},
    )
    assert titles(run(territory_a, q="dance")) == ["Šokių studija jaunimui"]
    assert titles(run(territory_a, q="guitar lessons")) == ["Gitaros pamokos"]
    assert titles(run(territory_a, q="beginners")) == ["Gitaros pamokos"]  # description
    # The visitor's language stems the query: "dancing" is English for "dance".
    assert titles(run(territory_a, q="dancing", visitor_language="en")) == [dance.title]
    # Without accents, in the territory's language, as before.
    assert titles(run(territory_a, q="sokiai")) == ["Šokių studija jaunimui"]
    assert titles(run(territory_a, q="šokiai")) == ["Šokių studija jaunimui"]
    # Isolation: borealis finds its own, aurora never sees it.
    assert titles(run(territory_b, q="dance")) == ["Plesni tečaj"]
    assert "Plesni tečaj" not in titles(run(territory_a, q="guitar lessons"))
    assert titles(run(territory_a, q="ples")) == []


def test_the_search_query_reads_the_text_index_once(territory_a, provider_a) -> None:
    """All languages are one tsquery (OR of the configurations) on the GIN index."""
    from django.db import connection

    from tenant_apps.catalogue.search import search_configs, text_query

    make_activity(territory_a, provider_a, "Gitaros pamokos")
    configs = search_configs("lt", "en")
    assert configs == ("public.catalogue_lt", "public.catalogue_en", "public.catalogue_simple")
    assert search_configs("sl", "sl-si") == ("public.catalogue_simple",)
    with tenant_context(territory_a):
        queryset = Activity.objects.filter(search_vector=text_query(["guitar"], configs))
        sql, params = queryset.values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cat_act_search_gin" in plan, plan


def test_saved_translations_are_searchable_at_once(
    territory_a, provider_a, client_for, user
) -> None:
    activity = make_activity(territory_a, provider_a, "Gitaros pamokos")
    assert titles(run(territory_a, q="guitar")) == []
    alan = client_for(territory_a)
    alan.sign_in(user("alan"))
    path = f"/studio/{provider_a.pk}/activities/{activity.pk}/translations/"
    assert alan.post(path, {"en__title": "Guitar lessons"}).status_code == 302
    assert titles(run(territory_a, q="guitar")) == ["Gitaros pamokos"]


def test_reindex_command_rebuilds_days_and_search_columns(territory_a, provider_a) -> None:
    from io import StringIO

    from django.core.management import call_command

    activity = make_activity(
        territory_a,
        provider_a,
        "Gitaros pamokos",
        translations={"en": {"title": "Guitar lessons"}},
    )
    with tenant_context(territory_a):
        stored = Activity.objects.filter(pk=activity.pk)
        expected = stored.values_list("days", "next_date").get()
        # As left by an older release: no days, no vectors (the search columns are
        # written together; a title match stands for a match: search.relevance_ids).
        stored.update(days=[], next_date=None, search_vector=None, rank_vector=None)
    assert titles(run(territory_a, q="guitar")) == []
    out = StringIO()
    call_command("reindex_catalogue", "--territory", territory_a.slug, stdout=out)
    assert f"{territory_a.slug}: 1 activities re-indexed" in out.getvalue()
    with tenant_context(territory_a):
        assert stored.values_list("days", "next_date").get() == expected
    assert titles(run(territory_a, q="guitar")) == ["Gitaros pamokos"]
    assert titles(run(territory_a, q="guitar", when="month")) == ["Gitaros pamokos"]


def test_activity_gin_indexes_have_no_pending_list(territory_a) -> None:
    """Searches never scan a pending list of recent writes (fastupdate off)."""
    from django.db import connection

    with tenant_context(territory_a), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_am am ON am.oid = c.relam"
            " WHERE n.nspname = %s AND am.amname = 'gin' AND c.relname LIKE 'cat_act_%%'",
            [territory_a.schema_name],
        )
        options = dict(cursor.fetchall())
    assert len(options) == 6  # with cat_act_title_gin (migration 0011)
    assert all(value == ["fastupdate=off"] for value in options.values()), options


def test_the_nearest_first_index_is_partial_as_declared(territory_a) -> None:
    """The model declares the KNN index for public rows only; Django's PostGIS schema
    editor drops an index condition on a geometry field, so migration 0010 builds it."""
    from django.db import connection

    with tenant_context(territory_a), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND indexname = %s",
            [territory_a.schema_name, "cat_act_public_knn_gist"],
        )
        (definition,) = cursor.fetchone()
    assert "USING gist (location)" in definition
    assert definition.endswith("WHERE is_public"), definition


def test_location_has_only_the_partial_gist_index(territory_a) -> None:
    """Issue 18: each index costs every written row (50,000 in an import) an entry.
    Places are only searched among public rows (the partial KNN index); the full
    GiST index of location, which no query read, is gone."""
    from django.db import connection

    with tenant_context(territory_a), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = %s AND tablename = 'catalogue_activity'",
            [territory_a.schema_name],
        )
        indexes = dict(cursor.fetchall())
    assert [name for name, sql in indexes.items() if "USING gist (location)" in sql] == [
        "cat_act_public_knn_gist"
    ]


def test_nearest_first_reads_the_knn_index_and_pages_ties_once(
    territory_a, provider_a, venue_a
) -> None:
    """Issue 17: ordered by the distance alone, so the GiST index yields a page's rows
    nearest first (no sort of every match); the many activities of one venue (equal
    distances) are spread over pages without repeats or gaps."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(25):
        make_activity(territory_a, provider_a, f"Club {number:02d}", venue=venue_a)
    near = (venue_a.point.y + 0.01, venue_a.point.x)

    def page_ids(number: int) -> list[int]:
        with tenant_context(territory_a):
            found = search(
                filters=Filters(near=near, radius_km=5, sort="distance"),
                language="lt",
                tz_name=territory_a.timezone,
                interests=active_interests(),
                page=number,
            )
        return [a.pk for a in found.items]

    first, second = page_ids(1), page_ids(2)
    assert len(first) == 20 and len(second) == 5
    assert len(set(first) | set(second)) == 25
    with tenant_context(territory_a), CaptureQueriesContext(connection) as captured:
        search(
            filters=Filters(near=near, radius_km=5, sort="distance"),
            language="lt",
            tz_name=territory_a.timezone,
            interests=active_interests(),
        )
        page_query = next(q["sql"] for q in captured.captured_queries if "<->" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + page_query)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cat_act_public_knn_gist" in plan and "Sort" not in plan, plan


def test_a_broad_prefix_reads_the_text_index_not_a_partial_index(territory_a, provider_a) -> None:
    """Issue 17: "rob:*" is estimated to match every row (its lexemes' frequencies add
    up), and PostgreSQL read the bitmap of a whole partial index (WHERE is_public) and
    every public activity's search vector instead (1.2 s over 100,000). A text search
    writes publicity so that no partial index can be proven usable: the GIN drives it,
    and the results are the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenant_apps.catalogue.search import index_friendly_planner

    for title in ("Origamio būrelis", "Origamis vaikams", "Dailė"):
        make_activity(territory_a, provider_a, title)
    assert sorted(titles(run(territory_a, q="origam"))) == ["Origamio būrelis", "Origamis vaikams"]
    with tenant_context(territory_a), CaptureQueriesContext(connection) as captured:
        run(territory_a, q="origam")
        page_query = next(
            q["sql"]
            for q in captured.captured_queries
            # "(SELECT": the relevance page is a UNION ALL of two ranked tiers.
            if q["sql"].lstrip("(").startswith('SELECT "catalogue_activity"."id"')
            and "@@" in q["sql"]
        )
        assert '"catalogue_activity"."is_public" IS TRUE' in page_query
        with connection.cursor() as cursor:
            index_friendly_planner(text_search=True)
            cursor.execute("EXPLAIN " + page_query)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cat_act_search_gin" in plan, plan
    assert "cat_act_public" not in plan, plan


def exact_ranking(territory: Territory, q: str, visitor_language: str = "") -> list[int]:
    """Every match by ts_rank alone (then soonest, then id): the ranking the two tiers
    of search.relevance_ids stand in for."""
    from shared_apps.core.searchterms import query_terms
    from tenant_apps.catalogue.search import (
        by_relevance,
        current,
        search_configs,
        territory_today,
        text_query,
    )

    terms = query_terms(q)
    configs = search_configs(territory.default_language, visitor_language)
    with tenant_context(territory):
        today = territory_today(territory.timezone)
        query = text_query(terms, configs)
        matches = current(today, text_search=True).filter(search_vector=query)
        return list(by_relevance(matches, query).values_list("id", flat=True))


# Broad words (a title word of several interests, a prefix of many forms), two-word
# searches, words only in summaries and descriptions, and the visitor's language.
GENERATED_QUERIES = (
    "robot",
    "klubas",
    "studija",
    "dirbtuvės",
    "muzikos studija",
    "programavimo pagrindai",
    "jaunimo",
    "vaikams",
    "pamokos",
    "kalbos",
    "dance",
    "lessons",
    "programming basics",
    "club",
)


def test_two_tier_relevance_pages_equal_the_exact_ranking(territory_a, territory_b) -> None:
    """Issue 17: the title matches are ranked first and the other matches only when
    they do not fill the page; over a generated catalogue (the benchmark's generator,
    English titles on 40 %) the first two pages of every search are those of the exact
    ranking."""
    from tenant_apps.catalogue.generator import generate

    with tenant_context(territory_a):
        generate(
            territory=territory_a,
            activities=400,
            providers=30,
            seed=17,
            published_share=1.0,
            pending_provider_share=0.0,
            translated_share=0.4,
        )
    for q in GENERATED_QUERIES:
        exact = exact_ranking(territory_a, q, visitor_language="en")
        assert exact, q
        for number in (1, 2):
            with tenant_context(territory_a):
                page = search(
                    filters=Filters(q=q),
                    language=territory_a.default_language,
                    tz_name=territory_a.timezone,
                    interests=active_interests(),
                    visitor_language="en",
                    page=number,
                )
            start = (number - 1) * page.per_page
            assert [a.pk for a in page.items] == exact[start : start + page.per_page], (q, number)
    # Isolation: the other territory's title index holds none of them.
    assert run(territory_b, q="robot").total == 0


def test_title_matches_come_first_then_the_other_matches(territory_a, provider_a) -> None:
    """When the title matches do not fill the page, the other matches follow them,
    ranked; a word only in a description matches, last."""
    make_activity(territory_a, provider_a, "Šachmatų būrelis", summary="Strategija.")
    make_activity(
        territory_a, provider_a, "Stalo žaidimai", summary="Šachmatai, šaškės ir šachmatų turnyrai."
    )
    make_activity(territory_a, provider_a, "Protmūšis", summary="Klausimai ir šachmatai.")
    make_activity(
        territory_a, provider_a, "Vakaronė", summary="Žaidimai.", description="Kartais šachmatai."
    )
    make_activity(territory_a, provider_a, "Dailė", summary="Piešimas.")
    found = titles(run(territory_a, q="šachmat"))
    assert found == ["Šachmatų būrelis", "Stalo žaidimai", "Protmūšis", "Vakaronė"]
    assert [a.pk for a in run(territory_a, q="šachmat").items] == exact_ranking(
        territory_a, "šachmat"
    )
    # Paging across the tiers: neither repeated nor skipped.
    with tenant_context(territory_a):
        pages = [
            search(
                filters=Filters(q="šachmat"),
                language=territory_a.default_language,
                tz_name=territory_a.timezone,
                interests=active_interests(),
                page=number,
                per_page=3,
            )
            for number in (1, 2)
        ]
    assert titles(pages[0]) + titles(pages[1]) == found
    assert pages[0].total == pages[1].total == 4


def test_a_page_of_title_matches_never_ranks_the_other_matches(territory_a, provider_a) -> None:
    """The second tier (every match, ranked) is not run at all when the title matches
    fill the page: EXPLAIN ANALYZE of the search's page query shows it never executed,
    and the first tier reads the title index."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tenant_apps.catalogue.search import index_friendly_planner

    for n in range(4):
        make_activity(territory_a, provider_a, f"Origamio būrelis {n}")
        make_activity(territory_a, provider_a, f"Dailė {n}", summary="Origamis ir lankstymas.")
    with tenant_context(territory_a), CaptureQueriesContext(connection) as captured:
        page = search(
            filters=Filters(q="origam"),
            language=territory_a.default_language,
            tz_name=territory_a.timezone,
            interests=active_interests(),
            per_page=3,
        )
        page_query = next(q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"])
        with transaction.atomic(), connection.cursor() as cursor:
            index_friendly_planner(text_search=True)
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + page_query)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert [a.title for a in page.items] == [f"Origamio būrelis {n}" for n in range(3)]
    assert "cat_act_title_gin" in plan, plan
    assert "never executed" in plan, plan


def test_a_text_count_counts_the_title_matches_first(territory_a, provider_a, monkeypatch) -> None:
    """The capped count of a text search reads the title index first and every match
    only when fewer than COUNT_LIMIT titles match (a GIN index is read whole into a
    bitmap whatever the LIMIT). COUNT_LIMIT is lowered to test both ways."""
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tenant_apps.catalogue import search as search_module

    for n in range(3):
        make_activity(territory_a, provider_a, f"Keramikos dirbtuvės {n}")
    for n in range(2):
        make_activity(territory_a, provider_a, f"Dailė {n}", summary="Keramika ir molis.")

    def counted(limit: int) -> tuple[int, str]:
        monkeypatch.setattr(search_module, "COUNT_LIMIT", limit)
        cache.clear()
        with tenant_context(territory_a), CaptureQueriesContext(connection) as captured:
            page = search(
                filters=Filters(q="keramik"),
                language=territory_a.default_language,
                tz_name=territory_a.timezone,
                interests=active_interests(),
                per_page=1,
            )
            count_query = next(
                q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT CASE")
            )
            with transaction.atomic(), connection.cursor() as cursor:
                search_module.index_friendly_planner(text_search=True)
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + count_query)
                plan = "\n".join(row[0] for row in cursor.fetchall())
        return page.total, plan

    total, plan = counted(2)
    assert total == 3  # "more than 2"
    assert "cat_act_title_gin" in plan, plan
    assert "never executed" in plan, plan  # every match was not counted
    total, plan = counted(10)
    assert total == 5
    assert "cat_act_search_gin" in plan, plan
