"""Issuers exist from provisioning / provider verification on: no page view writes."""

from collections.abc import Callable

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenant_apps.badges.models import Issuer
from tenants import setup
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.badges.factories import in_territory, make_badge

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


def test_the_territory_issuer_exists_once_provisioned(territory_a: Territory) -> None:
    with in_territory(territory_a):
        issuer = Issuer.objects.get(kind=Issuer.Kind.TERRITORY)
    assert (issuer.slug, issuer.name) == (territory_a.slug, territory_a.name)


def test_a_provider_gets_its_issuer_when_verified(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    from tenant_apps.catalogue.actions import verify_provider
    from tenant_apps.catalogue.models import Provider
    from tests.tenant_apps.catalogue.factories import make_provider

    pending = make_provider(territory_a, "Menų centras", status=Provider.Status.PENDING)
    with in_territory(territory_a):
        assert not Issuer.objects.filter(provider_id=pending.pk).exists()
        verify_provider(provider=pending, territory=territory_a, acting_user=user("anna"))
        issuer = Issuer.objects.get(provider_id=pending.pk)
        # Verifying again (after a suspension, say) keeps the one issuer.
        verify_provider(provider=pending, territory=territory_a, acting_user=user("anna"))
        assert Issuer.objects.filter(provider_id=pending.pk).count() == 1
    assert (issuer.kind, issuer.name) == (Issuer.Kind.PROVIDER, "Menų centras")
    assert AuditEntry.objects.filter(
        territory=territory_a, action="badges.issuer_created", target_id=str(issuer.pk)
    ).exists()
    # Nothing in the other territory.
    with in_territory(territory_b):
        assert not Issuer.objects.filter(kind=Issuer.Kind.PROVIDER).exists()


def test_the_setup_command_brings_existing_territories_up_to_date(
    territory_a: Territory,
) -> None:
    from tenant_apps.catalogue.models import Provider
    from tests.tenant_apps.catalogue.factories import make_provider

    # A territory from before: no territory issuer, a provider verified without one.
    with in_territory(territory_a):
        Issuer.objects.filter(kind=Issuer.Kind.TERRITORY).delete()
    old = make_provider(territory_a, "Senas centras", status=Provider.Status.VERIFIED)
    pending = make_provider(territory_a, "Naujokai", status=Provider.Status.PENDING)
    call_command("ensure_territory_setup", verbosity=0)
    call_command("ensure_territory_setup", verbosity=0)  # idempotent
    with in_territory(territory_a):
        assert Issuer.objects.filter(kind=Issuer.Kind.TERRITORY).count() == 1
        assert Issuer.objects.filter(provider_id=old.pk).count() == 1
        assert not Issuer.objects.filter(provider_id=pending.pk).exists()
    assert "badges.issuers" in setup._hooks


def test_no_manage_page_writes_on_get(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    from tenant_apps.catalogue.models import ProviderStaff
    from tests.tenant_apps.catalogue.factories import make_provider

    # A verified provider without an issuer (verified before issuers came with it).
    make_provider(territory_a, "Menų centras", staff=[(user("anna"), ProviderStaff.Role.OWNER)])
    with in_territory(territory_a):
        badge = make_badge(territory_a, "City badge")
        before = Issuer.objects.count()
    anna = client_for(territory_a)
    anna.cookies["django_language"] = "en"
    anna.sign_in(user("anna"))
    anna.get("/manage/badges/")  # the session and language settle first
    for url in (
        "/manage/badges/",
        "/manage/badges/new/",
        "/manage/badges/issuers/",
        "/manage/badges/reviews/",
        f"/manage/badges/{badge.slug}/",
        f"/manage/badges/{badge.slug}/edit/",
        f"/manage/badges/{badge.slug}/codes/",
    ):
        with CaptureQueriesContext(connection) as queries:
            response = anna.get(url)
        assert response.status_code == 200, url
        assert _writes(queries) == [], url
    with in_territory(territory_a):
        assert Issuer.objects.count() == before
        assert not Issuer.objects.filter(kind=Issuer.Kind.PROVIDER).exists()


def test_staff_without_an_issuer_are_told_so_and_nothing_is_created(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    alan = client_for(territory_a)  # provider staff, no verified provider yet
    alan.cookies["django_language"] = "en"
    alan.sign_in(user("alan"))
    alan.get("/manage/badges/")
    with CaptureQueriesContext(connection) as queries:
        page = alan.get("/manage/badges/new/")
    assert page.status_code == 200
    assert "No issuer yet" in page.content.decode()
    assert _writes(queries) == []
    anna = client_for(territory_a)
    anna.cookies["django_language"] = "en"
    anna.sign_in(user("anna"))
    page = anna.get("/manage/badges/new/")
    assert page.status_code == 200 and "No issuer yet" not in page.content.decode()
    assert f'<option value="{_territory_issuer_pk(territory_a)}"' in page.content.decode()


def _territory_issuer_pk(territory: Territory) -> int:
    with in_territory(territory):
        return Issuer.objects.get(kind=Issuer.Kind.TERRITORY).pk
