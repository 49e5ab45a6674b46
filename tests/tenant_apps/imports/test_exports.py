"""The public CSV of a territory's catalogue, and the round trip through the import."""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django_tenants.utils import tenant_context

from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.models import Activity, Provider, Venue
from tenant_apps.imports.exports import HEADER, safe_cell
from tenants.actions import provision_territory
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.catalogue.factories import make_activity, make_provider

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
