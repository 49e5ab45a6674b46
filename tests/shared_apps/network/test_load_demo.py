from django.core.management import call_command
from django.test import Client

from shared_apps.accounts.models import Coordinator, Membership, User
from tenants.models import Territory


def test_load_demo_builds_the_network_and_is_idempotent(db: None) -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # make run calls it on every start

    slugs = set(
        Territory.objects.filter(
            slug__in=["vilnius", "ljubljana", "cagliari", "mikkeli"]
        ).values_list("slug", flat=True)
    )
    assert slugs == {"vilnius", "ljubljana", "cagliari", "mikkeli"}
    vilnius = Territory.objects.get(slug="vilnius")
    assert (vilnius.country.code, vilnius.default_language, vilnius.timezone) == (
        "LT",
        "lt",
        "Europe/Vilnius",
    )
    assert round(vilnius.map_center.y, 2) == 54.69
    assert (
        len({t.primary_color for t in Territory.objects.filter(slug__in=slugs)}) == 4
    )  # distinct branding

    for slug in slugs:
        territory = Territory.objects.get(slug=slug)
        roles = dict(
            Membership.objects.filter(territory=territory).values_list("user__email", "role")
        )
        assert roles[f"learner.{slug}@example.org"] == "learner"
        assert roles[f"provider.{slug}@example.org"] == "provider_staff"
        assert roles[f"admin.{slug}@example.org"] == "territory_admin"
    coordinator = Coordinator.objects.get(user__email="coordinator@example.org")
    # The network ships a few templates to adopt (shared_apps/sharedtemplates/demo.py),
    # once however often the demo is loaded.
    from shared_apps.sharedtemplates.models import NetworkTemplate

    assert sorted(NetworkTemplate.objects.values_list("kind", flat=True)) == [
        "badge_class",
        "interests",
        "playlist",
    ]
    assert coordinator.territories.count() == 4
    assert User.objects.get(email="learner.vilnius@example.org").check_password("learn-demo-2026")

    response = Client(HTTP_HOST="vilnius.localhost").get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "lt"

    # The catalogue: Vilnius at the real city's scale, the others at least 200 each,
    # in their own language (tenant_apps/catalogue/demo.py).
    from django_tenants.utils import tenant_context

    from tenant_apps.catalogue.models import Activity, Provider

    minimum = {
        "vilnius": (1000, 350),
        "ljubljana": (200, 50),
        "cagliari": (200, 50),
        "mikkeli": (200, 50),
    }
    for slug, (activities, providers) in minimum.items():
        with tenant_context(Territory.objects.get(slug=slug)):
            assert Activity.objects.filter(is_public=True).count() >= activities, slug
            assert Provider.objects.filter(status="verified").count() >= providers, slug
    with tenant_context(Territory.objects.get(slug="ljubljana")):
        assert Activity.objects.filter(title__contains="krožek").exists()
