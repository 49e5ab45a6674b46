"""The network index follows publishing, edits, unpublishing, deletion and territory
status; the reconciliation repairs it."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.netsearch.models import NetworkActivity
from tenant_apps.catalogue import actions, publishing
from tenant_apps.catalogue.models import Activity, ProviderStaff
from tenants.actions import change_territory_status, provision_territory
from tenants.models import Territory
from tests.conftest import HostClient
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, make_venue


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (the index is written after commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def search_from(territory: Territory, query: str) -> str:
    client = HostClient(territory.host, territory)
    client.cookies["django_language"] = "en"
    return client.get(f"/network/?{query}").content.decode()


def test_publish_edit_unpublish_delete_are_reflected(
    territory_b: Territory, user: Callable[[str], User], commit
) -> None:
    # boris archives below: the moderation workflow lets only the provider's own staff
    # (or the territory admin) do that.
    provider = make_provider(territory_b, staff=[(user("boris"), ProviderStaff.Role.OWNER)])
    with commit():
        online = make_activity(territory_b, provider, "Online coding club", format="online")
        draft = make_activity(territory_b, provider, "Draft", status=Activity.Status.DRAFT)
    row = NetworkActivity.objects.get(territory=territory_b, activity_id=online.pk)
    assert row.title == "Online coding club" and row.is_online and not row.is_local
    assert row.url == f"{territory_b.url}activities/{online.pk}/"
    assert not NetworkActivity.objects.filter(activity_id=draft.pk, territory=territory_b)
    with commit(), tenant_context(territory_b):
        Activity.objects.filter(pk=online.pk).update(title="Online robotics club")
        publishing.refresh_activities([online.pk], language="sl")
    row.refresh_from_db()
    assert row.title == "Online robotics club"
    with commit(), tenant_context(territory_b):
        actions.archive_activity(
            activity=Activity.objects.get(pk=online.pk),
            territory=territory_b,
            acting_user=user("boris"),
        )
    assert not NetworkActivity.objects.filter(territory=territory_b).exists()
    with commit():
        again = make_activity(territory_b, provider, "Choir online", format="online")
    assert NetworkActivity.objects.filter(territory=territory_b, activity_id=again.pk).exists()
    with commit(), tenant_context(territory_b):
        actions.delete_activity(
            activity=Activity.objects.get(pk=again.pk),
            territory=territory_b,
            acting_user=user("bruno"),
        )
    assert not NetworkActivity.objects.filter(territory=territory_b).exists()


def test_search_widens_to_network_and_hides_suspended_territory(
    territory_a: Territory, territory_b: Territory, commit
) -> None:
    # A neighbour ~18 km from aurora's centre; borealis is ~900 km away.
    neighbour = provision_territory(
        name="Cirrus",
        slug="cirrus",
        country="LT",
        default_language="lt",
        timezone_name="Europe/Vilnius",
        map_center=Point(25.30, 54.85, srid=4326),
        status=Territory.Status.ACTIVE,
    )
    near_provider = make_provider(neighbour)
    provider = make_provider(territory_b)
    with commit():
        make_activity(territory_b, provider, "Online robotics", format="online")
        make_activity(
            neighbour, near_provider, "Robotics nearby", venue=make_venue(neighbour, near_provider)
        )
        make_activity(
            territory_b, provider, "Robotics far away", venue=make_venue(territory_b, provider)
        )
        mine = make_activity(territory_a, make_provider(territory_a), "Robotics at home")
    page = search_from(territory_a, "q=robot&km=25")
    assert "Online robotics" in page and "Robotics nearby" in page
    assert "Robotics far away" not in page
    assert "Robotics at home" not in page  # the territory's own search covers it
    assert f'href="{territory_b.url}activities/' in page
    # Accent-free, prefix matching.
    assert "Online robotics" in search_from(territory_a, "q=rob%C3%B3t")
    assert "Robotics nearby" not in search_from(territory_a, "q=robot&km=0")
    change_territory_status(
        territory=territory_b, status=Territory.Status.SUSPENDED, acting_user=None
    )
    change_territory_status(territory=neighbour, status=Territory.Status.ARCHIVED, acting_user=None)
    page = search_from(territory_a, "q=robot&km=25")
    assert "Online robotics" not in page and "Robotics nearby" not in page
    # Hidden, not lost: reactivating shows them again without a repair.
    change_territory_status(territory=territory_b, status=Territory.Status.ACTIVE, acting_user=None)
    assert "Online robotics" in search_from(territory_a, "q=robot&km=25")
    assert NetworkActivity.objects.filter(activity_id=mine.pk, territory=territory_a).exists()


def test_search_page_queries_do_not_grow(
    territory_a: Territory, territory_b: Territory, commit
) -> None:
    provider = make_provider(territory_b)
    with commit():
        make_activity(territory_b, provider, "Online one", format="online")
    search_from(territory_a, "q=online")  # the host's route is cached from now on
    with CaptureQueriesContext(connection) as few:
        search_from(territory_a, "q=online")
    with commit():
        for i in range(10):
            make_activity(territory_b, provider, f"Online {i}", format="online")
    with CaptureQueriesContext(connection) as many:
        page = search_from(territory_a, "q=online")
    assert "Online 9" in page
    # search_path, savepoint, SET LOCAL, nearby territories, the search, release.
    assert len(many) == len(few) == 6, [q["sql"][:60] for q in many.captured_queries]


def test_reconcile_repairs_a_tampered_index(territory_b: Territory, commit) -> None:
    provider = make_provider(territory_b)
    with commit():
        kept = make_activity(territory_b, provider, "Kept", format="online")
        lost = make_activity(territory_b, provider, "Lost", format="online")
    NetworkActivity.objects.filter(activity_id=kept.pk, territory=territory_b).update(
        title="Tampered", fingerprint="x"
    )
    NetworkActivity.objects.filter(activity_id=lost.pk, territory=territory_b).delete()
    ghost = NetworkActivity.objects.create(
        territory=territory_b,
        activity_id=999999,
        title="Ghost",
        format="online",
        is_online=True,
        path="/activities/999999/",
        fingerprint="y",
    )
    out = StringIO()
    call_command("reconcile_network_index", "--dry-run", stdout=out)
    assert "found 3 differences" in out.getvalue()
    assert NetworkActivity.objects.filter(pk=ghost.pk).exists()
    out = StringIO()
    call_command("reconcile_network_index", stdout=out)
    assert f"missing [{lost.pk}]" in out.getvalue() and "repaired 3 differences" in out.getvalue()
    rows = dict(
        NetworkActivity.objects.filter(territory=territory_b).values_list("activity_id", "title")
    )
    assert rows == {kept.pk: "Kept", lost.pk: "Lost"}
    out = StringIO()
    call_command("reconcile_network_index", stdout=out)
    assert "repaired 0 differences" in out.getvalue()


def test_network_search_finds_activities_in_every_language(
    territory_a: Territory, territory_b: Territory, commit
) -> None:
    """Issue 16 item 8: "glasba" (Slovenian for music) and "programming" (an English
    translation of a Lithuanian title) across the network; a territory's own
    activities stay out of its network search."""
    provider_a = make_provider(territory_a)
    provider_b = make_provider(territory_b)
    with commit():
        make_activity(
            territory_a,
            provider_a,
            "Programavimo pagrindai",
            summary="Išmok rašyti kodą.",
            interests=["digital"],
            format="online",
            translations={"en": {"title": "Programming basics", "summary": "Learn to code."}},
        )
        make_activity(
            territory_a,
            provider_a,
            "Muzikos studija",
            summary="Kuriame dainas.",
            interests=["music"],
            format="online",
        )
        make_activity(
            territory_b,
            provider_b,
            "Pevski zbor",
            summary="Pojemo skupaj.",
            interests=["music"],
            format="online",
        )
    from_b = search_from(territory_b, "q=programming")
    assert "Programavimo pagrindai" in from_b
    # An interest's name in another language: "Glasba" is Slovenian for "Muzika".
    assert "Muzikos studija" in search_from(territory_b, "q=glasba")
    assert "Muzikos studija" in search_from(territory_b, "q=muzika")
    # Isolation: borealis' own activity is not in its network search; aurora sees it.
    assert "Pevski zbor" not in search_from(territory_b, "q=glasba")
    assert "Pevski zbor" in search_from(territory_a, "q=glasba")
    assert "Programavimo pagrindai" not in search_from(territory_a, "q=programming")
    # The index row carries the other languages and stays in step with the source.
    row = NetworkActivity.objects.get(territory=territory_a, title="Programavimo pagrindai")
    assert "Programming basics" in row.other_texts and "Glasba" not in row.other_texts
    assert "Digital skills" in row.other_texts


def test_index_row_carries_point_and_vector_and_follows_edits(
    territory_b: Territory, commit
) -> None:
    """The upsert (COPY + INSERT ... ON CONFLICT) writes the venue's point, the place
    token and the search vector, and an edit replaces them in the same row."""
    provider = make_provider(territory_b)
    venue = make_venue(territory_b, provider, lat=46.05, lon=14.5)
    with commit():
        local = make_activity(territory_b, provider, "Pottery workshop", venue=venue)
    row = NetworkActivity.objects.get(territory=territory_b, activity_id=local.pk)
    assert row.is_local and not row.is_online and row.point is not None
    assert (round(row.point.x, 6), round(row.point.y, 6)) == (14.5, 46.05)
    words = str(
        NetworkActivity.objects.filter(pk=row.pk).values_list("search_vector", flat=True)[0]
    )
    assert "pottery" in words and f"zzlocal{territory_b.pk}" in words
    with commit(), tenant_context(territory_b):
        Activity.objects.filter(pk=local.pk).update(title="Weaving workshop")
        publishing.refresh_activities([local.pk], language="sl")
    again = NetworkActivity.objects.get(territory=territory_b, activity_id=local.pk)
    assert again.pk == row.pk and again.title == "Weaving workshop"
    words = str(
        NetworkActivity.objects.filter(pk=row.pk).values_list("search_vector", flat=True)[0]
    )
    assert "weaving" in words and "pottery" not in words
    assert again.updated_at > row.updated_at
