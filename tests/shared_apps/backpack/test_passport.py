"""The learner passport on the network site: the account's cities and regions and the
playlists it follows in each, read from each of its territories' schemas, and nobody
else's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_tenants.utils import tenant_context

from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import User
from tenant_apps.playlists import actions as playlist_actions
from tenants.models import Territory
from tests.shared_apps.backpack.test_backpack import network_as
from tests.tenant_apps.playlists.factories import join, make_playlist, steps_of


def test_passport_shows_each_city_and_how_far_the_learner_got(
    territory_a: Territory,
    territory_b: Territory,
    user: Callable[[str], User],
    django_assert_max_num_queries: Any,
) -> None:
    ada = user("ada")
    grant_membership(user=ada, territory=territory_b, role="learner")
    path = make_playlist(territory_a, user("anna"), "Young journalist")
    join(territory_a, path, ada)
    with tenant_context(territory_a):
        progress = playlist_actions.submit_evidence(
            playlist=path,
            step=steps_of(territory_a, path)[0],
            territory=territory_a,
            user=ada,
            text="Interviewed the baker.",
        )
        playlist_actions.review_evidence(
            progress=progress, territory=territory_a, reviewer=user("anna"), decision="approve"
        )
    other = make_playlist(territory_b, user("bruno"), "Mladi novinar")
    join(territory_b, other, user("bea"))  # someone else's progress: never shown

    client = network_as(ada)
    page = client.get("/backpack/").content.decode()
    assert "Aurora" in page and "Borealis" in page
    assert "Young journalist" in page and "1 of 2 steps done" in page
    assert f'href="{territory_a.url}playlists/{path.pk}/"' in page
    assert "Mladi novinar" not in page
    assert "You follow no playlist here." in page  # in borealis

    # One query per territory of the account, whatever it follows there (and one for
    # the header's unread notifications).
    with django_assert_max_num_queries(14) as few:
        client.get("/backpack/")
    for n in range(4):
        join(territory_a, make_playlist(territory_a, user("anna"), f"Path {n}"), ada)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/backpack/").content.decode()
    assert page.count("0 of 2 steps done") == 4
