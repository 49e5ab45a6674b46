"""The welcome checklist ticks itself as the territory does the first things, and what
one territory does never ticks another's list. Items read the features' own data, never
the audit log."""

from __future__ import annotations

import json
from collections.abc import Callable

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.events import AuditEvent
from shared_apps.audit.models import AuditEntry
from shared_apps.onboarding.checklist import checklist
from shared_apps.sharedtemplates.actions import adopt_template, publish_template
from shared_apps.sharedtemplates.models import NetworkTemplate
from tenant_apps.catalogue import actions as catalogue_actions
from tenant_apps.catalogue.models import CatalogueSetup, Interest
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


def _save_music(territory: Territory, admin: User) -> None:
    with tenant_context(territory):
        music = Interest.objects.get(slug="music")
        catalogue_actions.save_interest(
            territory=territory,
            acting_user=admin,
            names={"en": "Music and sound"},
            position=music.position,
            is_active=True,
            interest=music,
        )


def test_saving_an_interest_ticks_the_interests_item_of_this_territory_only(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    assert states(territory_a)["interests"] == "todo"
    assert states(territory_b)["interests"] == "todo"
    _save_music(territory_b, user("bruno"))
    assert states(territory_b)["interests"] == "done"
    assert states(territory_a)["interests"] == "todo"
    with tenant_context(territory_b):
        assert CatalogueSetup.current().interests_reviewed_at is not None
    with tenant_context(territory_a):
        assert CatalogueSetup.current().interests_reviewed_at is None


def test_the_item_is_read_from_the_catalogue_never_from_the_audit_log(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    # An audit entry alone (say, restored from another system) ticks nothing...
    AuditEntry.objects.create(action=AuditEvent.INTEREST_SAVED, territory=territory_a)
    assert states(territory_a)["interests"] == "todo"
    # ... and the fact stays when the log is emptied (it is kept where it happened).
    _save_music(territory_a, user("anna"))
    AuditEntry.objects.filter(territory=territory_a).delete()
    assert states(territory_a)["interests"] == "done"


def test_adopting_a_network_interest_list_ticks_the_item(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    template = publish_template(
        kind=NetworkTemplate.Kind.INTERESTS,
        name="Media interests",
        payload_text=json.dumps([{"slug": "podcasting", "names": {"en": "Podcasting"}}]),
        acting_user=user("cora"),
    )
    adopt_template(template=template, territory=territory_a, acting_user=user("anna"))
    assert states(territory_a)["interests"] == "done"
    assert states(territory_b)["interests"] == "todo"
