"""Staff of a provider in one territory can neither see nor change anything of another."""

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import Activity
from tests.tenant_apps.catalogue.factories import make_activity, make_venue


@pytest.fixture
def borealis_draft(territory_b, provider_b):
    return make_activity(territory_b, provider_b, "Borealis draft", status="draft")


def test_aurora_staff_cannot_reach_borealis_provider_area(
    territory_a, territory_b, provider_a, provider_b, borealis_draft, user, english
):
    """Ids are per territory: on aurora's host an id names aurora's row (or nothing),
    never borealis's."""
    alan = english(territory_a, user("alan"))
    for path in [
        f"/studio/{provider_b.pk}/",
        f"/studio/{provider_b.pk}/activities/{borealis_draft.pk}/",
        f"/studio/{provider_b.pk}/profile/",
        f"/activities/{borealis_draft.pk}/",
        f"/api/activities/{borealis_draft.pk}/",
    ]:
        response = alan.get(path)
        body = response.content.decode()
        assert "Borealis draft" not in body and provider_b.name not in body, path
    alan.post(f"/studio/{provider_b.pk}/activities/{borealis_draft.pk}/delete/")
    with tenant_context(territory_b):
        assert Activity.objects.filter(pk=borealis_draft.pk).exists()
    # Signed in on borealis's host, alan (no membership there) is only a visitor.
    on_b = english(territory_b)
    on_b.sign_in(user("alan"))
    response = on_b.get(f"/studio/{provider_b.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert on_b.get(f"/activities/{borealis_draft.pk}/").status_code == 404


def test_other_providers_of_the_same_territory_are_out_of_reach(
    territory_a, provider_a, user, english
):
    from tests.tenant_apps.catalogue.factories import make_provider

    other = make_provider(territory_a, "Other org")
    venue = make_venue(territory_a, other, "Their hall")
    draft = make_activity(territory_a, other, "Their draft", status="draft", venue=venue)
    alan = english(territory_a, user("alan"))
    assert alan.get(f"/studio/{other.pk}/").status_code == 404
    assert alan.get(f"/studio/{other.pk}/activities/{draft.pk}/").status_code == 404
    assert alan.get(f"/activities/{draft.pk}/").status_code == 404  # no preview either
    # Using another provider's venue in one's own activity is refused.
    mine = make_activity(territory_a, provider_a, "Mine", status="draft")
    response = alan.post(
        f"/studio/{provider_a.pk}/activities/{mine.pk}/",
        {
            "title": "Mine",
            "format": "local",
            "venue": venue.pk,
            "age_min": 0,
            "age_max": 99,
            "schedule_kind": "open",
            "join_method": "interested",
        },
    )
    assert response.status_code == 400
    with tenant_context(territory_a):
        assert Activity.objects.get(pk=mine.pk).venue_id is None


def test_review_pages_are_for_this_territorys_admin_only(territory_a, territory_b, user, english):
    from tests.tenant_apps.catalogue.factories import make_provider

    pending_b = make_provider(territory_b, "Borealis pending", status="pending")
    assert english(territory_a, user("alan")).get("/manage/review/").status_code == 403
    assert english(territory_a, user("ada")).get("/manage/review/").status_code == 403
    bruno_on_a = english(territory_a)
    bruno_on_a.sign_in(user("bruno"))
    assert bruno_on_a.get("/manage/review/").status_code == 302  # not a member here
    anna = english(territory_a, user("anna"))
    assert "Borealis pending" not in anna.get("/manage/review/").content.decode()
    assert (
        "Borealis pending"
        not in anna.get(f"/manage/review/providers/{pending_b.pk}/").content.decode()
    )
    anna.post(f"/manage/review/providers/{pending_b.pk}/verify/")
    with tenant_context(territory_b):
        pending_b.refresh_from_db()
    assert pending_b.status == "pending"


def test_search_only_sees_this_territory(territory_a, territory_b, provider_a, provider_b, english):
    make_activity(territory_a, provider_a, "Aurora robots")
    make_activity(territory_b, provider_b, "Borealis robots")
    html = english(territory_a).get("/activities/?q=robots").content.decode()
    assert "Aurora <mark>robots</mark>" in html
    assert "Borealis" not in html
