"""The open data page (footer link, licence, admins choose it) and a provider's
calendar imports in the studio (its staff only, this territory only)."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from shared_apps.audit.models import AuditEntry
from shared_apps.ops.models import OutboundTask
from tenant_apps.opendata.models import CalendarError, CalendarFeed

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def test_every_page_links_the_open_data_page_which_states_the_licence(territory_a, english):
    client = english(territory_a)
    assert 'href="/open-data/"' in client.get("/").text
    page = client.get("/open-data/").text
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "/api/open-data/changes/" in page
    assert 'name="licence"' not in page  # the choice is the admins'


def test_admins_choose_the_licence_of_their_territory_only(
    territory_a, territory_b, english, user, client_for
):
    admin = english(territory_a, user("anna"))
    assert 'name="licence"' in admin.get("/open-data/").text
    assert admin.post("/open-data/licence/", {"licence": "CC0-1.0"}).status_code == 302
    assert client_for(territory_a).get("/api/open-data/changes/").json()["license"] == CC0
    assert AuditEntry.objects.filter(action="opendata.licence", territory=territory_a).exists()
    # The other territory keeps the default.
    assert client_for(territory_b).get("/api/open-data/changes/").json()["license"] != CC0
    # Bad input: a message, nothing saved.
    admin.post("/open-data/licence/", {"licence": "MIT"})
    assert client_for(territory_a).get("/api/open-data/changes/").json()["license"] == CC0

    # A learner, a provider's staff, the other territory's admin: refused.
    for client in (
        english(territory_a, user("ada")),
        english(territory_a, user("alan")),
        english(territory_a, user("bruno")),
    ):
        response = client.post("/open-data/licence/", {"licence": "ODbL-1.0"})
        assert response.status_code in (302, 403, 404)
    assert client_for(territory_a).get("/api/open-data/changes/").json()["license"] == CC0


def test_provider_staff_add_a_calendar_and_see_its_problems(
    territory_a, provider_a, venue_a, english, user
):
    alan = english(territory_a, user("alan"))
    page = alan.get(f"/studio/{provider_a.pk}/")
    assert f"/studio/{provider_a.pk}/calendars/" in page.text

    response = alan.post(
        f"/studio/{provider_a.pk}/calendars/",
        {"url": "https://calendar.example.org/club.ics", "venue": venue_a.pk},
    )
    assert response.status_code == 302
    with tenant_context(territory_a):
        calendar = CalendarFeed.objects.get(provider=provider_a)
        CalendarError.objects.create(calendar=calendar, uid="x@y", message="No start here.")
        calendar.last_ok = True
        calendar.last_synced_at = calendar.created_at
        calendar.last_counts = {"created": 2, "updated": 1, "problems": 1}
        calendar.save()
    # The import is handed to the worker (after the commit), not run in the request.
    assert OutboundTask.objects.filter(task_name="opendata.sync_calendar").exists()
    page = alan.get(f"/studio/{provider_a.pk}/calendars/").text
    assert "https://calendar.example.org/club.ics" in page
    assert "No start here." in page
    # What the last sync did, in the reader's language (English here, not Lithuanian).
    assert "2 new, 1 updated, 0 archived, 0 unchanged, 1 problems" in page

    # Not an address of a calendar: a message, nothing saved.
    response = alan.post(f"/studio/{provider_a.pk}/calendars/", {"url": "ftp://x.org/a.ics"})
    assert response.status_code == 400
    response = alan.post(
        f"/studio/{provider_a.pk}/calendars/", {"url": "https://calendar.example.org/club.ics"}
    )
    assert response.status_code == 400
    with tenant_context(territory_a):
        assert CalendarFeed.objects.filter(provider=provider_a).count() == 1

    assert alan.post(f"/studio/{provider_a.pk}/calendars/{calendar.pk}/sync/").status_code == 302
    assert alan.post(f"/studio/{provider_a.pk}/calendars/{calendar.pk}/remove/").status_code == 302
    with tenant_context(territory_a):
        assert not CalendarFeed.objects.exists()


def test_calendars_of_a_provider_are_closed_to_others(
    territory_a, territory_b, provider_a, provider_b, english, user
):
    with tenant_context(territory_a):
        calendar = CalendarFeed.objects.create(
            provider=provider_a, url="https://example.org/a.ics", created_by=user("alan")
        )
    base = f"/studio/{provider_a.pk}/calendars/"
    # A learner of aurora, and borealis' provider staff on their own host (where
    # aurora's ids do not exist) and on aurora's.
    for client in (
        english(territory_a, user("ada")),
        english(territory_b, user("boris")),
    ):
        assert client.get(base).status_code in (403, 404)
        assert client.post(f"{base}{calendar.pk}/remove/").status_code in (403, 404)
    boris_b = english(territory_b, user("boris"))
    assert boris_b.get(f"/studio/{provider_b.pk}/calendars/{calendar.pk}/sync/").status_code in (
        404,
        405,
    )
    assert (
        boris_b.post(f"/studio/{provider_b.pk}/calendars/{calendar.pk}/remove/").status_code == 404
    )
    with tenant_context(territory_a):
        assert CalendarFeed.objects.filter(pk=calendar.pk).exists()
