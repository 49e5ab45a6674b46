"""The demo badges: idempotent, in the territory's language and colours, with awards."""

from collections.abc import Callable

from shared_apps.accounts.models import User
from tenant_apps.badges.demo import load_badges
from tenant_apps.badges.models import Application, Award, BadgeClass, ClaimCode, Issuer
from tenants.models import Territory
from tests.tenant_apps.badges.factories import in_territory


def test_demo_badges_are_loaded_once(territory_a: Territory, user: Callable[[str], User]) -> None:
    users = {"learner.aurora": user("ada"), "coordinator": user("cora")}
    with in_territory(territory_a):
        load_badges(territory_a, users)
        load_badges(territory_a, users)
        assert BadgeClass.objects.filter(slug__startswith="demo-").count() == 5
        assert Issuer.objects.filter(kind="provider").count() == 1
        assert BadgeClass.objects.get(slug="demo-volunteer").name == "Savanoris"  # lt
        held = set(
            Award.objects.filter(recipient_email="ada@example.org").values_list(
                "badge_class__slug", flat=True
            )
        )
        # The learner holds two badges, and so the meta badge "Active citizen" too.
        assert held == {"demo-volunteer", "demo-maker", "demo-explorer"}
        assert Award.objects.filter(revoked_at__isnull=False).count() == 1
        assert Application.objects.filter(status="submitted").count() == 1
        assert ClaimCode.objects.filter(code="MAKERAURORA").exists()
        assert (
            territory_a.primary_color.encode()
            in BadgeClass.objects.get(slug="demo-maker").image.read()
        )
