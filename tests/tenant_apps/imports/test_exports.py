"""The public CSV of a territory's catalogue, and the round trip through the import."""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity, Interest, Provider, Venue
from tenant_apps.imports import exports
from tenant_apps.imports.exports import HEADER, csv_lines, safe_cell
from tenants.actions import provision_territory
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_a(territory_a: Territory, provider_a: Provider, venue_a: Venue) -> list[Activity]:
    tz = __import__("zoneinfo").ZoneInfo(territory_a.timezone)
    soon = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=10)
    online = make_provider(territory_a, "Skaitmeninė akademija", website="https://academy.example")
    return [
        make_activity(
            territory_a,
            provider_a,
            '=HYPERLINK("http://evil.example")',
            venue=venue_a,
            interests=("robotics", "music"),
            skills=["soldering", "teamwork"],
            is_free=False,
            price=Decimal("15.00"),
            price_note="per month",
            voucher=True,
            capacity=12,
            description="<p>Build <strong>robots</strong>.</p>",
        ),
        make_activity(
            territory_a,
            online,
            "Online coding",
            format=Activity.Format.ONLINE,
            online_url="https://meet.example/code",
            join_method=Activity.JoinMethod.LINK,
            join_url="https://academy.example/join",
            schedule_kind=Activity.ScheduleKind.SESSIONS,
            sessions=[
                sched.Session(
                    datetime.datetime.combine(soon, datetime.time(15, 0), tzinfo=tz),
                    datetime.datetime.combine(soon, datetime.time(16, 30), tzinfo=tz),
                )
            ],
            age_min=12,
            age_max=18,
        ),
        make_activity(territory_a, provider_a, "A draft", status=Activity.Status.DRAFT),
    ]


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_public_csv(
    client_for: ClientFor, territory_a: Territory, catalogue_a: list[Activity]
) -> None:
    response = client_for(territory_a).get("/open-data/activities.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # The territory's open data licence (tenant_apps.opendata), CC BY 4.0 by default.
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert response["X-Licence"] == "CC-BY-4.0"
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = _rows(content)
    assert list(rows[0]) == list(HEADER)
    # Published only; the formula neutralised; no provider email or phone at all.
    assert sorted(r["title"] for r in rows) == [
        '\'=HYPERLINK("http://evil.example")',
        "Online coding",
    ]
    assert "info@example.org" not in content.decode()
    assert not any("email" in column or "phone" in column for column in HEADER)


def test_each_territory_downloads_its_own(
    client_for: ClientFor, territory_b: Territory, catalogue_a: list[Activity]
) -> None:
    response = client_for(territory_b).get("/open-data/activities.csv")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert _rows(content) == []
    assert client_for(territory_b).get("/open-data/activities.csv").status_code == 200


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+370 600", "'+370 600"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("ok", "ok"),
        (True, "yes"),
    ],
)
def test_cells_are_safe_in_spreadsheets(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def _published(territory: Territory) -> list[dict[str, object]]:
    tz = __import__("zoneinfo").ZoneInfo(territory.timezone)
    compared = (
        "title",
        "summary",
        "description",
        "format",
        "online_url",
        "skills",
        "age_min",
        "age_max",
        "is_free",
        "price",
        "price_note",
        "voucher",
        "languages",
        "schedule_kind",
        "starts_on",
        "ends_on",
        "weekdays",
        "start_time",
        "end_time",
        "exceptions",
        "schedule_note",
        "capacity",
        "join_method",
        "join_url",
        "join_contact",
        "image_alt",
        "is_public",
        "days",
        "first_date",
        "last_date",
    )
    found = []
    with tenant_context(territory):
        for a in Activity.objects.filter(is_public=True).order_by("title"):
            row: dict[str, object] = {name: getattr(a, name) for name in compared}
            row["provider"] = (a.provider.name, a.provider.kind, a.provider.website)
            row["venue"] = (
                (
                    a.venue.name,
                    a.venue.address,
                    round(a.venue.point.x, 6),
                    round(a.venue.point.y, 6),
                    a.venue.step_free,
                )
                if a.venue
                else None
            )
            row["interests"] = sorted(i.slug for i in a.interests.all())
            row["sessions"] = [(s.starts_at.astimezone(tz), s.ends_at) for s in a.sessions.all()]
            found.append(row)
    return found


def test_round_trip_into_a_new_territory(
    territory_a: Territory, catalogue_a: list[Activity], tmp_path: Path
) -> None:
    exported = tmp_path / "aurora.csv"
    call_command("export_catalogue", "aurora", "--output", str(exported))
    copy = provision_territory(
        name="Aurora copy",
        slug="aurora-copy",
        country="LT",
        default_language="lt",
        languages=["en"],
        timezone_name=territory_a.timezone,
        map_center=Point(territory_a.map_center.x, territory_a.map_center.y, srid=4326),
        status=Territory.Status.ACTIVE,
    )
    out = io.StringIO()
    call_command("import_catalogue", "aurora-copy", str(exported), "--source", "aurora", stdout=out)
    assert "2 added" in out.getvalue()
    before, after = _published(territory_a), _published(copy)
    assert len(after) == 2
    assert after == before
    # Importing the same file again updates, it does not duplicate.
    call_command("import_catalogue", "aurora-copy", str(exported), "--source", "aurora", stdout=out)
    assert "0 added, 2 updated" in out.getvalue()
    assert _published(copy) == before


def test_export_command_to_stdout(territory_a: Territory, catalogue_a: list[Activity]) -> None:
    out = io.StringIO()
    call_command("export_catalogue", "aurora", stdout=out)
    assert out.getvalue().startswith("external_id,status,title")
    assert "A draft" not in out.getvalue()


def test_the_licence_is_the_territorys_choice(
    client_for: ClientFor, territory_a: Territory, user
) -> None:
    from tenant_apps.opendata.actions import set_licence

    with tenant_context(territory_a):
        set_licence(territory=territory_a, acting_user=user("anna"), licence="CC0-1.0")
    response = client_for(territory_a).get("/open-data/activities.csv")
    assert response["X-Licence"] == "CC0-1.0"
    assert "publicdomain/zero/1.0" in response["Link"]
    page = client_for(territory_a).get("/open-data/").content.decode()
    assert 'href="/open-data/activities.csv"' in page


# ---- the fast export is the slow, obvious one, byte for byte ----------------------


def _reference_csv(territory: Territory) -> str:
    """The export built the obvious way: model instances with their provider, venue,
    interests and sessions, every cell through safe_cell."""
    tz = __import__("zoneinfo").ZoneInfo(territory.timezone)

    def external_id(obj: object, local: str) -> str:
        return getattr(obj, "external_id", "") or f"{territory.slug}:{local}"

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    activities = (
        Activity.objects.filter(is_public=True)
        .select_related("provider", "venue")
        .prefetch_related("interests", "sessions")
        .order_by("pk")
    )
    for activity in activities:
        provider, venue = activity.provider, activity.venue if activity.is_local else None
        sessions = "; ".join(
            f"{s.starts_at.astimezone(tz):%Y-%m-%d %H:%M}"
            + (f"-{s.ends_at.astimezone(tz):%H:%M}" if s.ends_at else "")
            for s in activity.sessions.all()
        )
        row: list[object] = [
            external_id(activity, str(activity.pk)),
            activity.status,
            *(getattr(activity, c) for c in exports.ACTIVITY_COLUMNS),
            [i.slug for i in activity.interests.all()],
            sessions,
            external_id(provider, provider.slug),
            *(getattr(provider, c) for c in exports.PROVIDER_COLUMNS),
        ]
        if venue is None:
            row += [None] * (len(exports.VENUE_COLUMNS) + 2)
        else:
            row += [getattr(venue, c) for c in exports.VENUE_COLUMNS]
            row += [round(venue.point.y, 6), round(venue.point.x, 6)]
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


@pytest.fixture
def varied_catalogue(territory_a: Territory, catalogue_a: list[Activity]) -> list[Activity]:
    """Every kind of cell: formula-looking text in each part (activity, provider,
    venue, external ids, a coordinate west of Greenwich), weekly schedules with
    exceptions, sessions with and without an end, several interests, translations,
    an online activity that still has a venue (left out), null and set numbers, and
    activities that are not public (a draft, a pending provider's)."""
    tz = __import__("zoneinfo").ZoneInfo(territory_a.timezone)
    soon = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=20)
    with tenant_context(territory_a):
        slugs = list(Interest.objects.order_by("-position").values_list("slug", flat=True)[:3])
    odd = make_provider(
        territory_a,
        "@Formula provider",
        slug="formula-provider",
        external_id="+ext-provider",
        description='-dash first\nsecond line, with "quotes"',
        website="https://odd.example",
        languages=["lt", "en"],
        kind=Provider.Kind.LIBRARY,
    )
    west = make_venue(
        territory_a,
        odd,
        "=Hall west",
        lat=40.416775,
        lon=-3.703790,
        address="-1 Calle Mayor",
        neighbourhood="Sol",
        opening_notes="\tTab first",
        step_free=True,
        hearing_loop=True,
        accessibility_notes="Lift; ramp",
    )
    pending = make_provider(territory_a, "Pending provider", status=Provider.Status.PENDING)
    start = datetime.datetime.combine(soon, datetime.time(9, 5), tzinfo=tz)
    made = [
        make_activity(
            territory_a,
            odd,
            "Weekly with exceptions",
            summary="-starts with a dash",
            venue=west,
            interests=slugs,
            format=Activity.Format.HYBRID,
            online_url="https://meet.example/w",
            external_id="=ext-activity",
            translations={"en": {"title": "Weekly", "summary": "In English"}},
            skills=["=SUM(1)", "plain"],
            languages=["lt", "en", "uk"],
            is_free=False,
            price=Decimal("7.50"),
            capacity=0,
            age_min=6,
            age_max=99,
            schedule_note="+ bring shoes",
            join_method=Activity.JoinMethod.CONTACT,
            join_contact="@desk",
            image_alt="\rreturn first",
            **{
                **__import__("tests.tenant_apps.catalogue.factories", fromlist=["weekly"]).weekly(
                    territory_a
                ),
                "exceptions": [soon, soon + datetime.timedelta(days=7)],
                "weekdays": [0, 2, 4],
            },
        ),
        make_activity(
            territory_a,
            odd,
            "Online, venue kept",
            venue=west,
            format=Activity.Format.ONLINE,
            online_url="https://meet.example/o",
            interests=(),
            schedule_kind=Activity.ScheduleKind.SESSIONS,
            sessions=[
                sched.Session(start, start + datetime.timedelta(hours=2)),
                sched.Session(start + datetime.timedelta(days=3), None),
            ],
        ),
        make_activity(
            territory_a,
            odd,
            "Always open",
            venue=west,
            schedule_kind=Activity.ScheduleKind.OPEN,
            start_time=None,
        ),
        make_activity(territory_a, pending, "Not public: pending provider"),
    ]
    return [*catalogue_a, *made]


def test_the_export_is_the_models_own_byte_for_byte(
    territory_a: Territory, varied_catalogue: list[Activity], monkeypatch: pytest.MonkeyPatch
) -> None:
    with tenant_context(territory_a):
        reference = _reference_csv(territory_a)
        assert "".join(csv_lines(territory_a)) == reference
        # Across chunk boundaries too (keyset chunks of two: 2 + 2 + 1 activities).
        monkeypatch.setattr(exports, "CHUNK", 2)
        assert "".join(csv_lines(territory_a)) == reference
    rows = _rows(reference.encode())
    assert len(rows) == 5  # neither the draft nor the pending provider's activity
    weekly = next(r for r in rows if r["title"] == "Weekly with exceptions")
    assert weekly["external_id"] == "'=ext-activity"
    assert weekly["venue_longitude"] == "'-3.70379"
    assert weekly["provider_name"] == "'@Formula provider"
    assert weekly["skills"] == "'=SUM(1), plain"
    assert weekly["weekdays"] == "0, 2, 4"
    online = next(r for r in rows if r["title"] == "Online, venue kept")
    assert online["venue_name"] == ""
    assert online["sessions"].count(";") == 1


def test_the_export_reads_three_queries_per_chunk_without_offset(
    territory_a: Territory,
    varied_catalogue: list[Activity],
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Any,
) -> None:
    with tenant_context(territory_a):
        "".join(csv_lines(territory_a))  # the connection's search_path set once
        # The activities, their interests, their sessions: however many activities.
        with django_assert_num_queries(3):
            "".join(csv_lines(territory_a))
        make_activity(territory_a, varied_catalogue[0].provider, "One more")
        "".join(csv_lines(territory_a))  # the factory's own tenant_context reset the path
        with django_assert_num_queries(3):
            "".join(csv_lines(territory_a))
        monkeypatch.setattr(exports, "CHUNK", 2)
        # Three full chunks of two, then the short (empty) read that ends them.
        with django_assert_num_queries(3 * 3 + 1) as captured:
            "".join(csv_lines(territory_a))
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "OFFSET" not in sql.upper()
