"""The audit log: staff see everything, coordinators their territories, territory
admins their own territory; nobody sees anyone else's."""

from collections.abc import Callable

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenants.models import Territory
from tests.conftest import HostClient


def network_as(user: User) -> HostClient:
    client = HostClient("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def seed(territory_a: Territory, territory_b: Territory) -> None:
    # Stored entries with marker codes (the audit action only takes AuditEvent members):
    # the pages show the stored rows, whatever their code.
    AuditEntry.objects.create(action="test.in_aurora", territory=territory_a)
    AuditEntry.objects.create(action="test.in_borealis", territory=territory_b)
    AuditEntry.objects.create(action="test.network_wide")


def test_staff_see_every_entry(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    seed(territory_a, territory_b)
    page = network_as(user("pat")).get("/console/audit/").content.decode()
    assert "test.in_aurora" in page and "test.in_borealis" in page
    assert "test.network_wide" in page
    filtered = network_as(user("pat")).get("/console/audit/?territory=borealis").content.decode()
    assert "test.in_borealis" in filtered and "test.in_aurora" not in filtered


def test_coordinator_sees_only_their_territories(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    seed(territory_a, territory_b)
    client = network_as(user("cora"))
    page = client.get("/console/audit/").content.decode()
    assert "test.in_aurora" in page
    assert "test.in_borealis" not in page and "test.network_wide" not in page
    csv = client.get("/console/audit/?format=csv").content.decode()
    assert "test.in_aurora" in csv and "test.in_borealis" not in csv
    # Asking for the other territory by name shows nothing of it.
    other = client.get("/console/audit/?territory=borealis&format=csv").content.decode()
    assert "test.in_borealis" not in other


def test_territory_admin_sees_own_territory_only(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    seed(territory_a, territory_b)
    client = HostClient(territory_a.host, territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(user("anna"))
    page = client.get("/manage/audit/").content.decode()
    assert "test.in_aurora" in page and "test.in_borealis" not in page
    assert "test.network_wide" not in page
    csv = client.get("/manage/audit/?format=csv&action=test.").content.decode()
    assert "test.in_aurora" in csv and "test.in_borealis" not in csv
    # borealis' admin on aurora's host has no session there; on their own host, theirs only.
    bruno = HostClient(territory_b.host, territory_b)
    bruno.sign_in(user("bruno"))
    assert "test.in_aurora" not in bruno.get("/manage/audit/?format=csv").content.decode()
    # Provider staff and learners are refused.
    alan = HostClient(territory_a.host, territory_a)
    alan.sign_in(user("alan"))
    assert alan.get("/manage/audit/").status_code == 403


def test_audit_page_queries_do_not_grow(
    territory_a: Territory,
    territory_b: Territory,
    user: Callable[[str], User],
    django_assert_max_num_queries,
) -> None:
    client = network_as(user("pat"))
    seed(territory_a, territory_b)
    with django_assert_max_num_queries(8) as few:
        client.get("/console/audit/")
    for i in range(30):
        AuditEntry.objects.create(actor=user("anna"), action=f"test.more{i}", territory=territory_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/console/audit/")
