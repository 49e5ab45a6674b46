"""Providers register, get verified, publish; the territory admin reviews; every
privileged step is audited; subscribers hear about public changes after commit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from PIL import Image

from shared_apps.accounts.models import Membership
from shared_apps.audit.models import AuditEntry
from tenant_apps.catalogue import actions, publishing
from tenant_apps.catalogue.models import (
    Activity,
    Interest,
    Provider,
    ProviderStaff,
    StaffInvitation,
)
from tests.tenant_apps.catalogue.factories import make_activity, make_provider, weekly


@pytest.fixture
def changes(monkeypatch):
    """What activity-change subscribers receive (after commit)."""
    seen: list[tuple[str, str, list[int]]] = []
    monkeypatch.setattr(publishing, "_callbacks", {"test": lambda *args: seen.append(args)})
    return seen


def form_data(territory, **overrides):
    with tenant_context(territory):
        robotics = Interest.objects.get(slug="robotics").pk
    schedule = weekly(territory)
    data = {
        "title": "Robotikos būrelis",
        "summary": "Konstruojame robotus.",
        "description": "Plain text\n\nSecond paragraph",
        "interests": [robotics],
        "format": "online",
        "online_url": "https://example.org/room",
        "age_min": 10,
        "age_max": 16,
        "is_free": "on",
        "languages": ["lt"],
        "schedule_kind": "weekly",
        "starts_on": schedule["starts_on"].isoformat(),
        "ends_on": schedule["ends_on"].isoformat(),
        "weekdays": ["1", "3"],
        "start_time": "16:00",
        "end_time": "17:30",
        "exceptions": "",
        "join_method": "interested",
    }
    data.update(overrides)
    return data


def test_provider_registers_gets_verified_and_publishes(
    territory_a, user, english, membership, django_capture_on_commit_callbacks, changes
):
    ada = english(territory_a, user("ada"))
    response = ada.post(
        "/for-providers/register/",
        {"name": "Antakalnio jaunimo centras", "kind": "youth_centre", "languages": ["lt"]},
    )
    assert response.status_code == 302
    with tenant_context(territory_a):
        provider = Provider.objects.get(name="Antakalnio jaunimo centras")
        assert provider.status == Provider.Status.PENDING
        assert provider.staff.get().role == ProviderStaff.Role.OWNER
    assert AuditEntry.objects.filter(action="provider.registered", territory=territory_a).exists()
    assert membership("ada", territory_a).role == Membership.Role.LEARNER

    # The draft is prepared while waiting for verification.
    ada.post(f"/studio/{provider.pk}/activities/new/", {"title": "Robotikos būrelis"})
    with tenant_context(territory_a):
        activity = Activity.objects.get(provider=provider)
    response = ada.post(
        f"/studio/{provider.pk}/activities/{activity.pk}/",
        {**form_data(territory_a), "then": "submit"},
    )
    assert response.status_code == 302
    with tenant_context(territory_a):
        activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    assert not activity.is_public

    # The territory admin verifies the provider: staff role granted, audited.
    anna = english(territory_a, user("anna"))
    with django_capture_on_commit_callbacks(execute=True):
        anna.post(f"/manage/review/providers/{provider.pk}/verify/")
    assert membership("ada", territory_a).role == Membership.Role.PROVIDER_STAFF
    assert AuditEntry.objects.filter(action="provider.verified", actor=user("anna")).exists()
    assert changes == []  # nothing public yet: the activity waits for review

    # The admin approves the activity: it is public, subscribers hear "published".
    with django_capture_on_commit_callbacks(execute=True):
        anna.post(f"/manage/review/activities/{activity.pk}/approve/")
    with tenant_context(territory_a):
        activity.refresh_from_db()
    assert activity.is_public and activity.published_at
    assert changes == [(territory_a.schema_name, "published", [activity.pk])]
    assert english(territory_a).get(f"/activities/{activity.pk}/").status_code == 200

    # Suspending the provider hides it and takes the role back.
    with django_capture_on_commit_callbacks(execute=True):
        anna.post(f"/manage/review/providers/{provider.pk}/suspend/", {"reason": "Fake"})
    assert changes[-1] == (territory_a.schema_name, "unpublished", [activity.pk])
    assert membership("ada", territory_a).role == Membership.Role.LEARNER
    assert english(territory_a).get(f"/activities/{activity.pk}/").status_code == 404


def test_admin_returns_with_a_reason(territory_a, provider_a, user, english):
    activity = make_activity(territory_a, provider_a, "Needs work", status="submitted")
    anna = english(territory_a, user("anna"))
    response = anna.post(f"/manage/review/activities/{activity.pk}/return/", {"reason": ""})
    with tenant_context(territory_a):
        activity.refresh_from_db()
    assert activity.status == "submitted"  # a reason is required
    anna.post(f"/manage/review/activities/{activity.pk}/return/", {"reason": "Add the venue"})
    with tenant_context(territory_a):
        activity.refresh_from_db()
    assert activity.status == "draft" and activity.return_reason == "Add the venue"
    page = english(territory_a, user("alan")).get(f"/studio/{provider_a.pk}/").content.decode()
    assert "Add the venue" in page
    entry = AuditEntry.objects.get(action="activity.returned")
    assert entry.details["reason"] == "Add the venue"
    assert response.status_code == 302


def test_trusted_provider_publishes_directly(
    territory_a, user, english, changes, django_capture_on_commit_callbacks
):
    provider = make_provider(
        territory_a, "Trusted org", trusted=True, staff=[(user("alan"), ProviderStaff.Role.OWNER)]
    )
    draft = make_activity(territory_a, provider, "Draft", status="draft")
    alan = english(territory_a, user("alan"))
    with django_capture_on_commit_callbacks(execute=True):
        response = alan.post(
            f"/studio/{provider.pk}/activities/{draft.pk}/",
            {**form_data(territory_a), "then": "submit"},
        )
    assert response.status_code == 302
    with tenant_context(territory_a):
        draft.refresh_from_db()
    assert draft.status == "published" and draft.is_public
    assert "published" in [c[1] for c in changes]


def test_incomplete_activity_cannot_be_submitted(territory_a, provider_a, user, english):
    draft = make_activity(territory_a, provider_a, "Bare", status="draft", summary="")
    with tenant_context(territory_a):
        draft.interests.clear()
    alan = english(territory_a, user("alan"))
    response = alan.post(f"/studio/{provider_a.pk}/activities/{draft.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "Write a short summary." in html
    assert "Choose at least one interest." in html
    with tenant_context(territory_a):
        draft.refresh_from_db()
    assert draft.status == "draft"


def test_public_edits_notify_changed_and_delete_notifies_deleted(
    territory_a, provider_a, user, english, changes, django_capture_on_commit_callbacks
):
    activity = make_activity(
        territory_a,
        provider_a,
        "Public one",
        venue=None,
        format="online",
        online_url="https://example.org/x",
    )
    alan = english(territory_a, user("alan"))
    with django_capture_on_commit_callbacks(execute=True):
        alan.post(
            f"/studio/{provider_a.pk}/activities/{activity.pk}/",
            form_data(territory_a, title="Renamed"),
        )
    assert changes[-1] == (territory_a.schema_name, "changed", [activity.pk])
    with django_capture_on_commit_callbacks(execute=True):
        alan.post(f"/studio/{provider_a.pk}/activities/{activity.pk}/delete/")
    assert changes[-1] == (territory_a.schema_name, "deleted", [activity.pk])


def test_autosave_keeps_raw_input_even_when_invalid(territory_a, provider_a, user, english):
    draft = make_activity(territory_a, provider_a, "Draft", status="draft")
    alan = english(territory_a, user("alan"))
    url = f"/studio/{provider_a.pk}/activities/{draft.pk}/"
    response = alan.post(
        url + "autosave/",
        {
            "title": "Half typed",
            "age_min": "abc",
            "interests": ["1", "2"],
            "csrfmiddlewaretoken": "x",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    with tenant_context(territory_a):
        draft.refresh_from_db()
    assert draft.autosave_data is not None
    assert draft.autosave_data["title"] == "Half typed"
    assert draft.autosave_data["age_min"] == "abc"
    assert draft.autosave_data["interests"] == ["1", "2"]
    assert "csrfmiddlewaretoken" not in draft.autosave_data
    assert draft.title == "Draft"  # the saved activity is untouched
    page = alan.get(url).content.decode()
    assert 'value="Half typed"' in page
    assert "unsaved changes" in page
    # A refused save keeps what was typed too.
    alan.post(url, {**form_data(territory_a), "title": "Kept", "age_min": "200"})
    with tenant_context(territory_a):
        draft.refresh_from_db()
    assert draft.autosave_data is not None
    assert draft.autosave_data["title"] == "Kept"
    alan.post(url + "discard/")
    with tenant_context(territory_a):
        draft.refresh_from_db()
    assert draft.autosave_data is None


def png(size=(400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 50, 50)).save(out, "PNG")
    return out.getvalue()


def test_images_are_checked(territory_a, provider_a, user, english):
    draft = make_activity(territory_a, provider_a, "Draft", status="draft")
    alan = english(territory_a, user("alan"))
    url = f"/studio/{provider_a.pk}/activities/{draft.pk}/"
    disguised = SimpleUploadedFile("photo.png", b"<html><script>x</script></html>", "image/png")
    response = alan.post(url, {**form_data(territory_a), "image": disguised})
    assert response.status_code == 400
    assert "SVG and other text files are not accepted" in response.content.decode()
    huge = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024), "image/png")
    assert alan.post(url, {**form_data(territory_a), "image": huge}).status_code == 400
    good = SimpleUploadedFile("ok.png", png(), "image/png")
    assert (
        alan.post(url, {**form_data(territory_a), "image": good, "image_alt": "Robots"}).status_code
        == 302
    )
    with tenant_context(territory_a):
        draft.refresh_from_db()
    assert draft.image.name.startswith("t_aurora/activities/")


def test_venue_must_be_near_the_territory(territory_a, provider_a, user, english):
    alan = english(territory_a, user("alan"))
    data = {"name": "Hall", "address": "Street 1", "latitude": "25.28", "longitude": "54.69"}
    response = alan.post(f"/studio/{provider_a.pk}/venues/new/", data)
    assert response.status_code == 400
    assert "latitude first" in response.content.decode()
    data.update(latitude="54.69", longitude="25.28", step_free="on")
    assert alan.post(f"/studio/{provider_a.pk}/venues/new/", data).status_code == 302
    with tenant_context(territory_a):
        assert provider_a.venues.get(name="Hall").step_free


def test_owner_manages_staff_and_last_owner_stays(
    territory_a, provider_a, user, english, membership
):
    alan = english(territory_a, user("alan"))
    alan.post(f"/studio/{provider_a.pk}/staff/", {"email": "ada@example.org", "role": "editor"})
    # Invited, not added: ada joins by accepting the emailed link.
    assert membership("ada", territory_a).role == Membership.Role.LEARNER
    with tenant_context(territory_a):
        invitation = StaffInvitation.objects.get(email="ada@example.org")
        actions.accept_staff_invitation(
            invitation=invitation, user=user("ada"), territory=territory_a
        )
    assert membership("ada", territory_a).role == Membership.Role.PROVIDER_STAFF
    with tenant_context(territory_a):
        assert provider_a.staff.count() == 2
        alan_staff = provider_a.staff.get(user=user("alan"))
        ada_staff = provider_a.staff.get(user=user("ada"))
    # An editor cannot manage people.
    ada = english(territory_a, user("ada"))
    assert ada.post(f"/studio/{provider_a.pk}/staff/{alan_staff.pk}/remove/").status_code == 403
    # The last owner cannot be removed.
    alan.post(f"/studio/{provider_a.pk}/staff/{alan_staff.pk}/remove/")
    with tenant_context(territory_a):
        assert provider_a.staff.filter(pk=alan_staff.pk).exists()
    alan.post(f"/studio/{provider_a.pk}/staff/{ada_staff.pk}/remove/")
    assert membership("ada", territory_a).role == Membership.Role.LEARNER


def test_admin_role_is_never_demoted_by_provider_work(territory_a, provider_a, user, membership):
    with tenant_context(territory_a):
        actions.sync_staff_role(user=user("anna"), territory=territory_a)
    assert membership("anna", territory_a).role == Membership.Role.TERRITORY_ADMIN


def test_interest_taxonomy_is_curated(territory_a, user, english):
    anna = english(territory_a, user("anna"))
    response = anna.post(
        "/manage/review/interests/new/",
        {"name_lt": "Šachmatai", "name_en": "Chess", "position": 5, "is_active": "on"},
    )
    assert response.status_code == 302
    with tenant_context(territory_a):
        chess = Interest.objects.get(slug="chess")
    assert chess.names == {"lt": "Šachmatai", "en": "Chess"}
    assert "Chess" in english(territory_a).get("/activities/").content.decode()
    assert english(territory_a, user("alan")).get("/manage/review/interests/").status_code == 403
