"""Steps in another city resolve through the network index (public schema), never by
reading the other territory's schema: only online activities that city publishes now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from tenant_apps.catalogue.models import Provider
from tenant_apps.playlists import actions
from tenant_apps.playlists.models import Step
from tenants.actions import change_territory_status
from tenants.models import Territory
from tests.conftest import HostClient
from tests.tenant_apps.catalogue.factories import make_activity
from tests.tenant_apps.playlists.factories import make_playlist


def add_remote(territory: Territory, playlist: Any, slug: str, activity_id: int) -> Step:
    with tenant_context(territory):
        return actions.add_step(
            playlist=playlist,
            kind=Step.Kind.REMOTE,
            remote_territory=slug,
            remote_activity_id=activity_id,
        )


def test_a_step_in_another_city_links_to_its_online_activity_while_it_is_public(
    territory_a: Territory,
    territory_b: Territory,
    provider_b: Provider,
    user: Callable[[str], User],
    english: Callable[..., HostClient],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        course = make_activity(territory_b, provider_b, "Podcasting online", format="online")
        local = make_activity(territory_b, provider_b, "Radio studio visit")
    plan = make_playlist(territory_a, user("anna"), "Young journalist", publish=False)

    with pytest.raises(ValidationError, match="No online activity"):
        add_remote(territory_a, plan, "borealis", local.pk)  # local there: not reachable
    with pytest.raises(ValidationError, match="No online activity"):
        add_remote(territory_a, plan, "borealis", course.pk + 1000)
    with pytest.raises(ValidationError, match="this city"):
        add_remote(territory_a, plan, "aurora", course.pk)

    step = add_remote(territory_a, plan, "borealis", course.pk)
    assert step.title == "Podcasting online"
    with tenant_context(territory_a):
        actions.submit_playlist(
            playlist=plan, territory=territory_a, acting_user=user("anna"), is_admin=True
        )
    page = english(territory_a).get(f"/playlists/{plan.pk}/").content.decode()
    assert f'href="{territory_b.url}activities/{course.pk}/"' in page
    api = english(territory_a).get(f"/api/playlists/{plan.pk}/").json()
    remote = [s for s in api["steps"] if s["kind"] == "remote_activity"]
    assert remote[0]["remote_url"] == f"{territory_b.url}activities/{course.pk}/"

    # The other city is suspended: the step stays, with its title, and says so.
    change_territory_status(
        territory=territory_b, status=Territory.Status.SUSPENDED, acting_user=None
    )
    page = english(territory_a).get(f"/playlists/{plan.pk}/").content.decode()
    assert "Podcasting online" in page and "Not available at the moment." in page
    assert f"activities/{course.pk}/" not in page
