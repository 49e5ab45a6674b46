"""The demo playlists load once, in the territory's language, from its catalogue."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from tenant_apps.playlists.demo import load_playlists
from tenant_apps.playlists.models import Enrolment, Playlist, StepProgress
from tests.tenant_apps.catalogue.factories import make_activity, make_venue


def test_demo_playlists_are_loaded_once(territory_a, provider_a, user):
    for i in range(4):
        venue = make_venue(territory_a, provider_a, f"Hall {i}")
        make_activity(territory_a, provider_a, f"Workshop {i}", venue=venue, format="local")
    users = {"admin.aurora": user("anna"), "learner.aurora": user("ada")}
    with tenant_context(territory_a):
        load_playlists(territory_a, users)
        load_playlists(territory_a, users)
        titles = set(Playlist.objects.values_list("title", flat=True))
        assert titles == {"Miesto atradimų kelias", "Kūrėjo kelias"}
        assert not Playlist.objects.exclude(status="published").exists()
        enrolment = Enrolment.objects.get(user=user("ada"))
        # Both required steps and the one optional step needed: completed.
        assert enrolment.completed_at is not None
        assert sorted(StepProgress.objects.values_list("state", flat=True)) == ["approved"] * 3
