"""The admin's way through an import: upload, map, preview, confirm, progress."""

import io
from collections.abc import Callable

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context
from openpyxl import Workbook

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenant_apps.catalogue.models import Activity, Provider, Venue
from tenant_apps.imports.models import ColumnMapping, ImportJob
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.tenant_apps.imports.conftest import (
    CITY_COLUMNS,
    CITY_MAPPING,
    city_row,
    csv_bytes,
    mapping_post,
    upload,
)

pytestmark = pytest.mark.django_db
START = "/manage/import/"


def _upload(client: HostClient, content: bytes, name: str = "katalogas.csv") -> ImportJob:
    response = client.post(
        START, {"file": upload(content, name), "kind": "activities", "source": "city"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(client.territory):
        return ImportJob.objects.get()


def test_upload_map_preview_confirm(
    admin_a: HostClient, territory_a: Territory, django_capture_on_commit_callbacks
) -> None:
    job = _upload(admin_a, csv_bytes([city_row(1), city_row(2)]))
    page = admin_a.get(f"{START}{job.pk}/")
    assert page.status_code == 200
    assert "Pavadinimas" in page.content.decode()

    preview = admin_a.post(f"{START}{job.pk}/", mapping_post(CITY_COLUMNS, CITY_MAPPING))
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Robotikos būrelis 2" in body and "Confirm the import" in body
    with tenant_context(territory_a):
        assert not Activity.objects.exists()  # the preview wrote nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_a.post(
            f"{START}{job.pk}/", mapping_post(CITY_COLUMNS, CITY_MAPPING, confirm="1")
        )
    assert done.status_code == 302
    with tenant_context(territory_a):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, job.errors
        assert (job.created_count, job.providers_created, job.venues_created) == (2, 1, 1)
        assert not job.file  # the uploaded file is deleted once imported
        activities = list(Activity.objects.order_by("external_id"))
        assert [a.title for a in activities] == ["Robotikos būrelis 1", "Robotikos būrelis 2"]
        first = activities[0]
        # Kept right as the editor's save would: public, searchable, dated, on the map.
        assert first.is_public and first.search_vector and first.days and first.location
        assert first.provider.status == Provider.Status.VERIFIED
        assert first.languages == ["lt"]  # no column: the territory's language
        assert Venue.objects.count() == 1
    # One summary audit event for the whole import.
    assert (
        AuditEntry.objects.filter(territory=territory_a, action="catalogue.imported").count() == 1
    )
    progress = admin_a.get(f"{START}{job.pk}/progress/")
    assert "2 added" in progress.content.decode()
    fragment = admin_a.get(f"{START}{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="import-progress"')


def test_mapping_is_saved_and_offered_next_time(
    admin_a: HostClient, territory_a: Territory, django_capture_on_commit_callbacks
) -> None:
    job = _upload(admin_a, csv_bytes([city_row(1)]))
    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post(f"{START}{job.pk}/", mapping_post(CITY_COLUMNS, CITY_MAPPING, confirm="1"))
    with tenant_context(territory_a):
        assert ColumnMapping.objects.get(kind="activities").columns == CITY_MAPPING
    second = _second_upload(admin_a, territory_a)
    page = admin_a.get(f"{START}{second.pk}/").content.decode()
    # "Pavadinimas" is column 1: its select offers "title" as chosen.
    assert '<option value="title" selected>' in page


def _second_upload(client: HostClient, territory: Territory) -> ImportJob:
    client.post(
        START, {"file": upload(csv_bytes([city_row(3)])), "kind": "activities", "source": "city"}
    )
    with tenant_context(territory):
        return ImportJob.objects.filter(status="uploaded").get()


def test_row_errors_in_the_persons_language(admin_a: HostClient, territory_a: Territory) -> None:
    admin_a.cookies["django_language"] = "lt"
    job = _upload(admin_a, csv_bytes([city_row(1, Santrauka="", Interesai="nėra-tokio")]))
    body = admin_a.post(
        f"{START}{job.pk}/", mapping_post(CITY_COLUMNS, CITY_MAPPING)
    ).content.decode()
    # The catalogue's own message, in Lithuanian.
    assert "Parašyk trumpą santrauką." in body
    assert "Unknown interest" not in body
    with tenant_context(territory_a):
        assert not Activity.objects.exists()


def test_an_error_in_any_row_writes_nothing(
    admin_a: HostClient, territory_a: Territory, django_capture_on_commit_callbacks
) -> None:
    rows = [city_row(n) for n in range(1, 1200)] + [city_row(1200, Pradžia="31/12/2026")]
    job = _upload(admin_a, csv_bytes(rows))
    with tenant_context(territory_a):
        ImportJob.objects.filter(pk=job.pk).update(columns=CITY_MAPPING)
    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post(f"{START}{job.pk}/", mapping_post(CITY_COLUMNS, CITY_MAPPING, confirm="1"))
    with tenant_context(territory_a):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED
        assert job.error_count == 1 and job.errors[0]["row"] == 1201
        assert not Activity.objects.exists() and not Provider.objects.exists()
    page = admin_a.get(f"{START}{job.pk}/progress/").content.decode()
    assert "Nothing was imported" in page and "Row 1201" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "katalogas.csv", "not what its name says"),
        (b"PK\x03\x04 this is no workbook", "katalogas.xlsx", "could not be read"),
        (b"title\nA\n", "katalogas.exe", "not what its name says"),
        (b"", "katalogas.csv", "empty"),
        (b"[1, 2]", "katalogas.json", "list of objects"),
    ],
)
def test_bad_files_are_refused_clearly(
    admin_a: HostClient, territory_a: Territory, content: bytes, name: str, message: str
) -> None:
    response = admin_a.post(
        START, {"file": upload(content, name), "kind": "activities", "source": "x"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    with tenant_context(territory_a):
        assert not ImportJob.objects.exists()


def test_a_huge_file_is_refused(
    admin_a: HostClient, territory_a: Territory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tenant_apps.imports import readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    response = admin_a.post(
        START, {"file": upload(b"title\n" + b"x" * 2000), "kind": "activities", "source": "x"}
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_xlsx_formulas_are_not_imported(admin_a: HostClient) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    row = city_row(1)
    sheet.append(CITY_COLUMNS)
    sheet.append([row[c] for c in CITY_COLUMNS])
    sheet["B2"] = '=HYPERLINK("http://evil.example", "click")'
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _upload(admin_a, buffer.getvalue(), "katalogas.xlsx")
    body = admin_a.post(
        f"{START}{job.pk}/", mapping_post(CITY_COLUMNS, CITY_MAPPING)
    ).content.decode()
    assert "Formulas are not imported" in body


def test_isolation(
    client_for: ClientFor,
    admin_a: HostClient,
    territory_a: Territory,
    territory_b: Territory,
    user: Callable[[str], User],
) -> None:
    job = _upload(admin_a, csv_bytes([city_row(1)]))
    # Borealis' admin is no member of aurora (sent to sign in there), and aurora's job
    # does not exist on borealis.
    bruno_on_a = client_for(territory_a)
    bruno_on_a.sign_in(user("bruno"))
    assert bruno_on_a.get(START).status_code == 302
    assert bruno_on_a.get(f"{START}{job.pk}/").status_code == 302
    bruno_on_b = client_for(territory_b)
    bruno_on_b.sign_in(user("bruno"))
    assert bruno_on_b.get(START).status_code == 200
    assert job.original_name not in bruno_on_b.get(START).content.decode()
    for suffix in ("", "progress/"):
        assert bruno_on_b.get(f"{START}{job.pk}/{suffix}").status_code == 404
        assert bruno_on_b.post(f"{START}{job.pk}/{suffix}", {"confirm": "1"}).status_code == 404
    # A learner and a provider's staff of aurora are not its admins.
    for name in ("ada", "alan"):
        client = client_for(territory_a)
        client.sign_in(user(name))
        assert client.get(f"{START}{job.pk}/").status_code == 403
    assert client_for(territory_a).get(START).status_code == 302  # to sign in
    assert bruno_on_b.get(f"{START}not-a-uuid/").status_code == 404


def test_the_admin_area_links_to_the_import(admin_a: HostClient) -> None:
    assert reverse("imports:start", urlconf="learning_platform.urls_territory") == START
    assert 'href="/manage/import/"' in admin_a.get("/manage/").content.decode()


def test_the_list_of_imports_costs_the_same_for_many(
    admin_a: HostClient, territory_a: Territory, django_assert_num_queries
) -> None:
    from django.db import reset_queries

    _upload(admin_a, csv_bytes([city_row(1)]))
    admin_a.get(START)  # warm: sessions, membership, site settings cached
    reset_queries()  # (each request empties the log: counts start from an empty one)
    # Session, membership, the header's unread notifications, the jobs...: however many.
    with django_assert_num_queries(6):
        admin_a.get(START)
    for n in range(5):
        admin_a.post(
            START, {"file": upload(csv_bytes([city_row(n)])), "kind": "activities", "source": "x"}
        )
    admin_a.get(START)
    reset_queries()
    with django_assert_num_queries(6):
        page = admin_a.get(START)
    assert page.content.decode().count("katalogas.csv") == 6


def test_a_providers_file_through_the_pages(
    admin_a: HostClient, territory_a: Territory, django_capture_on_commit_callbacks
) -> None:
    content = csv_bytes(
        [{"name": "Menų studija", "kind": "culture"}, {"name": "Šachmatų klubas", "kind": "other"}],
        columns=["name", "kind"],
    )
    admin_a.post(START, {"file": upload(content), "kind": "providers", "source": "city"})
    with tenant_context(territory_a):
        job = ImportJob.objects.get()
    columns = ["name", "kind"]
    # Named like the fields: mapped by themselves.
    page = admin_a.get(f"{START}{job.pk}/").content.decode()
    assert '<option value="name" selected>' in page
    preview = admin_a.post(
        f"{START}{job.pk}/", mapping_post(columns, {"name": "name", "kind": "kind"})
    )
    assert "Šachmatų klubas" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post(
            f"{START}{job.pk}/",
            mapping_post(columns, {"name": "name", "kind": "kind"}, confirm="1"),
        )
    with tenant_context(territory_a):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE and job.providers_created == 2
        assert Provider.objects.filter(status=Provider.Status.VERIFIED).count() == 2
    # Confirming twice does not import twice.
    again = admin_a.post(f"{START}{job.pk}/", mapping_post(columns, {"name": "name"}, confirm="1"))
    assert again.status_code == 302 and again["Location"].endswith("/progress/")


def test_the_progress_bar_while_an_import_runs(admin_a: HostClient, territory_a: Territory) -> None:
    from django.core.cache import cache

    from tenant_apps.imports.actions import progress_key

    job = _upload(admin_a, csv_bytes([city_row(1)]))
    with tenant_context(territory_a):
        ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=50000)
        cache.set(progress_key(job), 20000)
    fragment = admin_a.get(f"{START}{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    # Polled again every second until the job is finished.
    assert f'hx-get="{START}{job.pk}/progress/"' in fragment and 'hx-trigger="every 1s"' in fragment
    assert 'value="40"' in fragment and "20000 / 50000" in fragment
