"""Per-person work visits only the territories holding rows about the person, and the
public schema knows every one of them (shared_apps.accounts.footprints)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from shared_apps.accounts import data_rights, footprints
from shared_apps.accounts.models import Footprint, Membership, User
from shared_apps.core.db import tenant_connection
from shared_apps.guardians.actions import withdraw_consent
from shared_apps.guardians.models import GuardianConsent
from tenant_apps.badges import actions as badge_actions
from tenant_apps.catalogue.actions import mark_interested, save_for_later
from tenant_apps.catalogue.models import InterestedLearner
from tenants.actions import provision_territory
from tenants.models import Territory
from tests.shared_apps.guardians.factories import just_turned, make_learner
from tests.tenant_apps.badges.factories import award, in_territory, make_badge
from tests.tenant_apps.catalogue.factories import make_activity, make_provider
from tests.tenant_apps.playlists.factories import join, make_playlist

EMAIL = "visitor@example.org"


@pytest.fixture
def visited() -> Iterator[list[str]]:
    """The schemas per-person work runs its territory handlers in."""
    schemas: list[str] = []

    def spy(user: Any) -> None:
        schemas.append(tenant_connection().schema_name)

    data_rights.register("zz_spy", scope=data_rights.TERRITORY, exporter=spy, eraser=spy)
    yield schemas
    data_rights._handlers.pop("zz_spy")


def test_every_field_naming_an_account_in_a_territory_schema_is_tracked() -> None:
    """A new model holding an account id must name its field so the footprints find it
    (a foreign key to the user model, ``user_id`` or ``*_user_id``)."""
    untracked = []
    for model in footprints.tenant_models():
        tracked = set(footprints.user_fields(model))
        for field in model._meta.concrete_fields:
            looks_personal = any(
                word in field.name for word in ("user", "owner", "member", "learner", "author")
            ) or (field.name.endswith("_by") and field.is_relation)
            if looks_personal and field.attname not in tracked:
                untracked.append(f"{model._meta.label}.{field.name}")
    assert untracked == []
    assert footprints.tracked_models()  # and there are some


def test_rows_written_without_a_membership_leave_a_footprint(
    territory_a: Territory,
    territory_b: Territory,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Ada is a learner of aurora only; in borealis she saves, applies, joins."""
    ada = user("ada")
    assert not Membership.objects.filter(user=ada, territory=territory_b).exists()
    assert territory_b.pk not in footprints.territory_ids_of(ada)
    provider = make_provider(territory_b, "Borealis chess")
    activity = make_activity(territory_b, provider, "Chess")
    with tenant_context(territory_b):
        save_for_later(user=ada, activity=activity)
    assert Footprint.objects.filter(user=ada, territory=territory_b).exists()

    # Every kind of row, each on its own, leaves one.
    writes: list[Callable[[], object]] = [
        lambda: mark_interested(user=ada, activity=activity, share_contact=True, point=None),
        lambda: join(territory_b, make_playlist(territory_b, user("bruno"), "Path"), ada),
    ]
    for write in writes:
        Footprint.objects.filter(user=ada, territory=territory_b).delete()
        with tenant_context(territory_b):
            write()
        assert Footprint.objects.filter(user=ada, territory=territory_b).exists()

    Footprint.objects.filter(user=ada, territory=territory_b).delete()
    with in_territory(territory_b):
        badge = make_badge(territory_b, "Chess")
        badge_actions.apply_for_badge(badge_class=badge, user=ada, statement="I play.", evidence=[])
    assert Footprint.objects.filter(user=ada, territory=territory_b).exists()

    # Awards are written in bulk (no post_save): award_many records them itself.
    Footprint.objects.filter(user=ada, territory=territory_b).delete()
    with in_territory(territory_b), django_capture_on_commit_callbacks(execute=True):
        award(territory_b, badge, ada.email)
    assert Footprint.objects.filter(user=ada, territory=territory_b).exists()


def test_a_badge_awarded_to_an_address_before_its_account_existed_is_found(
    territory_b: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    with in_territory(territory_b), django_capture_on_commit_callbacks(execute=True):
        award(territory_b, make_badge(territory_b, "Early"), EMAIL)
    person = make_learner(EMAIL, just_turned(16))
    assert footprints.territory_ids_of(person) == [territory_b.pk]  # the backpack index


def test_a_footprint_outlives_the_membership(
    territory_b: Territory, user: Callable[[str], User]
) -> None:
    bea = user("bea")
    Membership.objects.filter(user=bea, territory=territory_b).delete()
    assert footprints.territory_ids_of(bea) == [territory_b.pk]


def test_export_and_deletion_visit_only_the_persons_territories(
    territory_a: Territory,
    territory_b: Territory,
    user: Callable[[str], User],
    visited: list[str],
) -> None:
    ada = user("ada")
    data_rights.export_user_data(ada)
    assert visited == ["t_aurora"]

    # Ada leaves a row in borealis without joining it: now both are visited.
    provider = make_provider(territory_b, "Borealis chess")
    activity = make_activity(territory_b, provider, "Chess")
    with tenant_context(territory_b):
        save_for_later(user=ada, activity=activity)
    visited.clear()
    data = data_rights.export_user_data(ada)
    assert visited == ["t_aurora", "t_borealis"]
    assert data["territories"]["borealis"]["catalogue"]["saved"][0]["activity"] == "Chess"

    visited.clear()
    data_rights.delete_account(ada, via="self")
    assert visited == ["t_aurora", "t_borealis"]
    with tenant_context(territory_b):
        from tenant_apps.catalogue.models import SavedActivity

        assert not SavedActivity.objects.filter(user_id=ada.pk).exists()


def test_per_person_queries_do_not_grow_with_territories(
    territory_a: Territory, user: Callable[[str], User], visited: list[str]
) -> None:
    ada = user("ada")
    with CaptureQueriesContext(connection) as few:
        data_rights.export_user_data(ada)
    for slug in ("kaunas", "klaipeda", "siauliai"):
        provision_territory(
            name=slug.title(),
            slug=slug,
            country="LT",
            default_language="lt",
            timezone_name="Europe/Vilnius",
            map_center=Point(23.9, 54.9, srid=4326),
        )
    with CaptureQueriesContext(connection) as more:
        data_rights.export_user_data(ada)
    assert len(more) == len(few)


def test_consent_withdrawal_reaches_a_territory_without_membership(
    territory_a: Territory, territory_b: Territory
) -> None:
    learner = make_learner(EMAIL, just_turned(13), territory_a)
    provider = make_provider(territory_b, "Borealis chess")
    activity = make_activity(territory_b, provider, "Chess")
    with tenant_context(territory_b):
        mark_interested(user=learner, activity=activity, share_contact=True, point=None)
    consent = GuardianConsent.objects.create(
        user=learner,
        guardian_email="parent@example.org",
        status=GuardianConsent.Status.CONFIRMED,
    )
    withdraw_consent(consent=consent)
    with tenant_context(territory_b):
        assert not InterestedLearner.objects.get(user_id=learner.pk).share_contact
