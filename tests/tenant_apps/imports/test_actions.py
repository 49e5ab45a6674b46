"""Import rules below the pages: re-import by external id, JSON in the API's shape,
providers, the command line, and nothing written by previews or dry runs."""

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.core.db import tenant_connection
from tenant_apps.catalogue import indexing
from tenant_apps.catalogue.models import Activity, Provider, Venue
from tenant_apps.imports import actions
from tenant_apps.imports.models import Kind
from tenant_apps.imports.readers import open_table
from tenant_apps.imports.rows import suggest_columns
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.catalogue.factories import make_activity
from tests.tenant_apps.imports.conftest import CITY_MAPPING, city_row, csv_bytes

pytestmark = pytest.mark.django_db


def _run(territory: Territory, content: bytes, *, dry_run: bool = False, fmt: str = "csv", **kw):
    with tenant_context(territory):
        return actions.execute(
            territory=territory,
            kind=kw.pop("kind", Kind.ACTIVITIES),
            source=kw.pop("source", "city"),
            columns=kw.pop("columns", CITY_MAPPING),
            table=open_table(io.BytesIO(content), fmt),
            acting_user=None,
            dry_run=dry_run,
        )


def test_reimport_updates_by_external_id(territory_a: Territory) -> None:
    first = _run(territory_a, csv_bytes([city_row(1), city_row(2)]))
    assert (first.created, first.updated, first.written) == (2, 0, True)
    with tenant_context(territory_a):
        ids = dict(Activity.objects.values_list("external_id", "pk"))
    again = _run(
        territory_a,
        csv_bytes([city_row(1, Pavadinimas="Robotika pažengusiems", Dienos="2"), city_row(3)]),
    )
    assert (again.created, again.updated) == (1, 1)
    with tenant_context(territory_a):
        assert Activity.objects.count() == 3 and Provider.objects.count() == 1
        changed = Activity.objects.get(external_id="v-1")
        assert changed.pk == ids["v-1"]
        assert changed.title == "Robotika pažengusiems" and changed.weekdays == [2]
        assert changed.is_public and "'pazengus':2A" in str(changed.search_vector)
        assert all(d.weekday() == 2 for d in changed.days)
    # The same external id under another source is another activity.
    _run(territory_a, csv_bytes([city_row(1)]), source="other")
    with tenant_context(territory_a):
        assert Activity.objects.filter(external_id="v-1").count() == 2


def test_a_dry_run_writes_nothing(territory_a: Territory) -> None:
    result = _run(territory_a, csv_bytes([city_row(1), city_row(2)]), dry_run=True)
    assert result.checked == 2 and result.error_count == 0 and not result.written
    assert [row.action for row in result.preview] == ["create", "create"]
    with tenant_context(territory_a):
        assert not Activity.objects.exists()
        assert not Provider.objects.exists() and not Venue.objects.exists()


def test_json_in_the_apis_shape(
    client_for: ClientFor, territory_a: Territory, provider_a: Provider, venue_a: Venue
) -> None:
    original = make_activity(territory_a, provider_a, "Jaunųjų robotikų klubas", venue=venue_a)
    detail = client_for(territory_a).get(f"/api/activities/{original.pk}/").json()
    content = json.dumps([detail]).encode()
    with tenant_context(territory_a):
        table = open_table(io.BytesIO(content), "json")
        suggested = suggest_columns(Kind.ACTIVITIES, table.columns, {})
        columns = actions.clean_columns(Kind.ACTIVITIES, suggested, table.columns)
    assert columns["schedule.kind"] == "schedule_kind"
    assert columns["venue_detail.lat"] == "venue_latitude"
    result = _run(territory_a, content, fmt="json", columns=columns, source="api")
    assert result.written, [e.messages for e in result.errors]
    with tenant_context(territory_a):
        copy = Activity.objects.get(external_source="api")
        assert copy.pk != original.pk
        # The same provider and venue (found by name), the same schedule and interests.
        assert (copy.provider_id, copy.venue_id) == (provider_a.pk, venue_a.pk)
        for name in (
            "title",
            "summary",
            "schedule_kind",
            "starts_on",
            "ends_on",
            "weekdays",
            "start_time",
            "days",
        ):
            assert getattr(copy, name) == getattr(original, name), name
        assert copy.interest_ids == original.interest_ids


def test_providers_file(territory_a: Territory) -> None:
    content = csv_bytes(
        [
            {
                "id": "o-1",
                "name": "Menų studija",
                "kind": "culture",
                "website": "https://menai.example",
            },
            {"id": "o-2", "name": "Sporto klubas", "kind": "sports_club", "website": ""},
        ],
        columns=["id", "name", "kind", "website"],
    )
    columns = {"id": "external_id", "name": "name", "kind": "kind", "website": "website"}
    first = _run(territory_a, content, kind=Kind.PROVIDERS, columns=columns)
    assert first.written and first.providers_created == 2
    renamed = content.replace(b"Sporto klubas", b"Sporto klubas Ledas")
    again = _run(territory_a, renamed, kind=Kind.PROVIDERS, columns=columns)
    assert again.written and (again.providers_created, again.updated) == (0, 2)
    with tenant_context(territory_a):
        assert sorted(Provider.objects.values_list("name", flat=True)) == [
            "Menų studija",
            "Sporto klubas Ledas",
        ]
    bad = _run(
        territory_a, content.replace(b"culture", b"circus"), kind=Kind.PROVIDERS, columns=columns
    )
    assert not bad.written and bad.errors[0].row == 2


def test_the_command_line(territory_a: Territory, tmp_path: Path) -> None:
    path = tmp_path / "katalogas.csv"
    path.write_bytes(csv_bytes([city_row(1)]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(CITY_MAPPING))
    out = io.StringIO()
    call_command(
        "import_catalogue", "aurora", str(path), "--mapping", str(mapping), "--dry-run", stdout=out
    )
    assert "Checked (dry run): 1 rows" in out.getvalue()
    with tenant_context(territory_a):
        assert not Activity.objects.exists()
    call_command("import_catalogue", "aurora", str(path), "--mapping", str(mapping), stdout=out)
    with tenant_context(territory_a):
        assert Activity.objects.count() == 1
    path.write_bytes(csv_bytes([city_row(2, Pradžia="yesterday")]))
    with pytest.raises(CommandError, match="1 rows have errors"):
        call_command("import_catalogue", "aurora", str(path), "--mapping", str(mapping), stdout=out)
    with pytest.raises(CommandError, match="No territory"):
        call_command("import_catalogue", "atlantis", str(path))


def test_jobs_of_the_admin(territory_a: Territory, user: Callable[[str], User]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with tenant_context(territory_a):
        job = actions.start_import(
            territory=territory_a,
            acting_user=user("anna"),
            upload=SimpleUploadedFile("a.csv", csv_bytes([city_row(1)])),
            kind=Kind.ACTIVITIES,
            source="Miesto Katalogas!",
        )
        assert job.source == "miestokatalogas" and job.total_rows == 1
        assert job.file.name.startswith(f"{territory_a.schema_name}") or "imports" in job.file.name


SEARCH_COLUMNS = (
    "is_public, search_vector::text, rank_vector::text, interest_ids, location::text, "
    "map_x, map_y, accessibility"
)


def _search_columns() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {SEARCH_COLUMNS} FROM catalogue_activity ORDER BY id")  # noqa: S608 - fixed columns
        return cursor.fetchall()


def test_search_columns_written_with_the_rows_equal_a_refresh(territory_a: Territory) -> None:
    """The import computes the search columns in the same INSERT/UPDATE as the rows:
    they must be what indexing.refresh computes from the stored rows (which every
    editor's save uses), new rows and re-imported ones alike, with columns the file
    does not carry (translations) kept and still indexed."""
    rows = [
        city_row(1, Interesai="robotics, music"),
        city_row(2, Vieta="Kita salė", Adresas="Kalvarijų g. 2"),
    ]
    assert _run(territory_a, csv_bytes(rows)).written
    with tenant_context(territory_a):
        first = _search_columns()
        Activity.objects.filter(external_id="v-1").update(
            translations={"en": {"title": "Robotics club", "summary": "Robots together"}}
        )
    again = _run(territory_a, csv_bytes([city_row(1, Interesai="music, robotics"), city_row(3)]))
    assert (again.created, again.updated) == (1, 1)
    with tenant_context(territory_a):
        imported = _search_columns()
        kept = Activity.objects.get(external_id="v-1")
        assert kept.translations["en"]["title"] == "Robotics club"
        assert "'club':" in str(kept.search_vector)
        assert sorted(kept.interests.values_list("slug", flat=True)) == ["music", "robotics"]
        assert [row[1] for row in imported] == [True, True, True]
        assert imported[1] == first[1]  # v-2 was not in the second file
        assert imported[0] != first[0]  # v-1's translation is indexed now
        with transaction.atomic():
            indexing.refresh([row[0] for row in imported], language=territory_a.default_language)
            assert _search_columns() == imported
            transaction.set_rollback(True)


# The writer thread (issue 18): batch N is written while batch N+1 is checked, on the
# import's own connection and transaction.

REFUSE_TITLE_SQL = """
CREATE FUNCTION refuse_one_title() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.title = %s THEN RAISE EXCEPTION 'refused by the test'; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER refuse_one_title BEFORE INSERT OR UPDATE ON catalogue_activity
    FOR EACH ROW EXECUTE FUNCTION refuse_one_title();
"""


def _queued_job(territory: Territory, owner: User, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenant_apps.imports.models import ImportJob

    with tenant_context(territory):
        job = actions.start_import(
            territory=territory,
            acting_user=owner,
            upload=SimpleUploadedFile("katalogas.csv", content),
            kind=Kind.ACTIVITIES,
            source="city",
        )
        ImportJob.objects.filter(pk=job.pk).update(
            columns=CITY_MAPPING, status=ImportJob.Status.QUEUED
        )
    return job


def test_a_batch_the_database_refuses_mid_import_leaves_nothing(
    territory_a: Territory, user: Callable[[str], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of 10: the first two are written (in the writer thread), the third is
    refused by PostgreSQL itself while the fourth is being checked. Nothing of the
    import stays, not even the first batches' providers, venues, interests and
    sessions, and the job fails with a message the admin can read."""
    from tenant_apps.catalogue.models import ActivitySession
    from tenant_apps.imports.models import ImportJob

    monkeypatch.setattr(actions, "BATCH", 10)
    rows = [city_row(n, Interesai="robotics, music") for n in range(1, 36)]
    job = _queued_job(territory_a, user("anna"), csv_bytes(rows))
    with tenant_context(territory_a):
        with connection.cursor() as cursor:
            cursor.execute(REFUSE_TITLE_SQL, ["Robotikos būrelis 25"])
        with translation.override("en"):
            done = actions.run_import(job_id=str(job.pk), territory=territory_a)
        assert done is not None and done.status == ImportJob.Status.FAILED
        assert done.errors == [
            {
                "row": 0,
                "messages": ["The database refused the rows, so nothing was imported. Try again."],
            }
        ]
        assert not Activity.objects.exists() and not Provider.objects.exists()
        assert not Venue.objects.exists() and not ActivitySession.objects.exists()
        assert not Activity.interests.through.objects.exists()
        # The connection is usable again, on the territory's schema.
        assert tenant_connection().schema_name == territory_a.schema_name
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_one_title ON catalogue_activity")
    # The same file, unrefused, then goes in whole.
    again = _run(territory_a, csv_bytes(rows))
    assert (again.written, again.created) == (True, 35)


def test_the_checker_queries_nothing_per_row(territory_a: Territory) -> None:
    """The writer thread may use the connection while rows are checked only because
    checking a row runs no query (everything is loaded when the checker is built)."""
    from tenant_apps.imports.rows import ActivityChecker

    with tenant_context(territory_a):
        checker = ActivityChecker(territory=territory_a, source="city", columns=CITY_MAPPING)
        table = open_table(io.BytesIO(csv_bytes([city_row(n) for n in range(1, 31)])), "csv")
        with CaptureQueriesContext(connection) as queries:
            outcomes = [checker.check(n, raw) for n, raw in enumerate(table.rows, start=2)]
    assert [q["sql"] for q in queries.captured_queries] == []
    assert all(o.plan is not None and not o.errors for o in outcomes)


def test_no_other_thread_queries_while_a_batch_is_written(territory_a: Territory) -> None:
    """While a batch is in flight, a query from the checking thread raises instead of
    interleaving with the writer's statements on the one connection."""
    from tenant_apps.imports.rows import ActivityChecker

    with tenant_context(territory_a), transaction.atomic():
        checker = ActivityChecker(territory=territory_a, source="city", columns=CITY_MAPPING)
        table = open_table(io.BytesIO(csv_bytes([city_row(n) for n in range(1, 6)])), "csv")
        batch = [checker.check(n, raw).plan for n, raw in enumerate(table.rows, start=2)]
        result = actions.Result()
        with actions.BatchWriter(territory_a, result) as writer:
            writer.write([plan for plan in batch if plan is not None])
            with pytest.raises(RuntimeError, match="writer thread"):
                Activity.objects.count()
        assert result.created == 5 and Activity.objects.count() == 5
        transaction.set_rollback(True)


def test_queries_per_batch_do_not_grow(
    territory_a: Territory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch costs the same fixed number of statements, whatever its size and
    whichever thread sends them (the first batch also writes the new provider and
    venue)."""
    monkeypatch.setattr(actions, "BATCH", 10)
    counts = []
    for rows in (20, 30, 300):
        with tenant_context(territory_a), CaptureQueriesContext(connection) as queries:
            transaction.set_rollback(False)
            result = _run(territory_a, csv_bytes([city_row(n) for n in range(1, rows + 1)]))
        assert result.written
        counts.append(len(queries))
        with tenant_context(territory_a):
            Activity.objects.all().delete()
            Venue.objects.all().delete()
            Provider.objects.all().delete()
    # 7 statements a batch (savepoints, ids, staging, the INSERT, interests, sessions);
    # the first also saves the provider and venue (one query for the taken slugs).
    assert counts == [29, 36, 225]
