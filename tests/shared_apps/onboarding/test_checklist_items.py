"""The welcome checklist ticks itself as the territory does the first things, and what
one territory does never ticks another's list."""

from __future__ import annotations

from collections.abc import Callable

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.onboarding.checklist import checklist
from tenant_apps.catalogue import actions as catalogue_actions
from tenant_apps.catalogue.models import Interest
from tenants.models import Territory
from tests.tenant_apps.badges.factories import make_badge
from tests.tenant_apps.catalogue.factories import make_activity, make_provider


def states(territory: Territory) -> dict[str, str]:
    return {
        item["key"]: item["state"]
        for item in checklist(territory, urlconf="learning_platform.urls_territory")
    }


def test_items_tick_as_things_get_done_in_this_territory_only(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    assert states(territory_a) | {"providers": "-"} == {
        "providers": "-",
        "interests": "todo",
        "activity": "todo",
        "badge": "todo",
    }
    with tenant_context(territory_a):
        music = Interest.objects.get(slug="music")
        catalogue_actions.save_interest(
            territory=territory_a,
            acting_user=user("anna"),
            names={"en": "Music and sound"},
            position=music.position,
            is_active=True,
            interest=music,
        )
    provider = make_provider(territory_a, "Menų dirbtuvės")
    make_activity(territory_a, provider, "Drum circle", interests=("music",))
    with tenant_context(territory_a):
        make_badge(territory_a, "First drum circle")

    assert states(territory_a) | {"providers": "-"} == {
        "providers": "-",
        "interests": "done",
        "activity": "done",
        "badge": "done",
    }
    assert {key: state for key, state in states(territory_b).items() if key != "providers"} == {
        "interests": "todo",
        "activity": "todo",
        "badge": "todo",
    }


def test_items_link_to_where_the_thing_is_done(territory_a: Territory) -> None:
    urls = {
        item["key"]: item["url"]
        for item in checklist(territory_a, urlconf="learning_platform.urls_territory")
    }
    assert urls["interests"].endswith("/interests/")
    assert urls["activity"].endswith("/studio/")
    assert urls["badge"].endswith("/new/")
