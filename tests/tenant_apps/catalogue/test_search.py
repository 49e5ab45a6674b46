import datetime

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.filters import FilterForm, Filters
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.catalogue.search import search
from tenant_apps.catalogue.selectors import active_interests
from tenants.models import Territory
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, make_venue


def run(territory: Territory, **filters: object):
    with tenant_context(territory):
        return search(
            filters=Filters(**filters),  # type: ignore[arg-type]
            language=territory.default_language,
            tz_name=territory.timezone,
            interests=active_interests(),
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

    from tenant_apps.catalogue.search import search_config, tsquery_text

    config = search_config(language)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector(%s::regconfig, %s) @@ to_tsquery(%s::regconfig, %s)",
            [config, document, config, tsquery_text([query])],
        )
        assert cursor.fetchone()[0], (language, document, query)
