"""Entering a territory's admin area: explicit, time-limited, recorded, one territory."""

import datetime
from collections.abc import Callable

from django.core import signing
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.console.actions import ENTRY_SALT
from shared_apps.console.models import EntryGrant
from tenants.models import Territory
from tests.conftest import HostClient


def network_as(user: User) -> HostClient:
    client = HostClient("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def enter(user: User, slug: str, reason: str = "Helping with set-up") -> str:
    response = network_as(user).post(f"/console/t/{slug}/enter/", {"reason": reason})
    assert response.status_code == 302, response.status_code
    return response["Location"]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_entry_gives_the_admin_area_for_a_while_and_is_recorded(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    cora = user("cora")
    link = enter(cora, "aurora")
    assert link.startswith("http://aurora.localhost")
    grant = EntryGrant.objects.get(user=cora, territory=territory_a)
    assert grant.reason == "Helping with set-up"
    assert AuditEntry.objects.filter(action="console.entry_granted", actor=cora).exists()
    client = HostClient(territory_a.host, territory_a)
    assert client.get("/manage/").status_code in (302, 403)  # nothing before the link
    assert client.get(path_of(link)).status_code == 302
    assert AuditEntry.objects.filter(action="console.entered", territory=territory_a).exists()
    assert client.get("/manage/members/").status_code == 200
    # The link works once.
    assert HostClient(territory_a.host, territory_a).get(path_of(link)).status_code == 403
    # Expired: the admin area is closed at once.
    EntryGrant.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/manage/members/").status_code in (302, 403)


def test_entry_reason_is_required(territory_a: Territory, user: Callable[[str], User]) -> None:
    response = network_as(user("cora")).post("/console/t/aurora/enter/", {"reason": " "})
    assert response.status_code == 400
    assert not EntryGrant.objects.exists()


def test_no_entry_into_another_territory(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    cora = user("cora")
    assert network_as(cora).post("/console/t/borealis/enter/", {"reason": "x"}).status_code == 404
    # A valid link of aurora does not open borealis.
    link = enter(cora, "aurora")
    other = HostClient(territory_b.host, territory_b)
    assert other.get(path_of(link)).status_code == 403
    assert other.get("/manage/members/").status_code in (302, 403)
    # Nor does a hand-made grant link for borealis without a grant row.
    forged = signing.dumps({"grant": 999999}, salt=ENTRY_SALT)
    assert other.get(f"/console-entry/{forged}/").status_code == 403


def test_expired_grant_link_is_refused(territory_a: Territory, user: Callable[[str], User]) -> None:
    link = enter(user("cora"), "aurora")
    EntryGrant.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client = HostClient(territory_a.host, territory_a)
    assert client.get(path_of(link)).status_code == 403
    assert client.get("/manage/members/").status_code in (302, 403)
