"""The demo catalogue: each demo territory gets a believable catalogue in its own
language, in its real neighbourhoods (Vilnius at the real city's scale: its municipal
catalogue lists 1,069 programmes by 358 providers).

Idempotent and quick on later runs: a territory that has any activity is left alone.
"""

from __future__ import annotations

from django.db import transaction

from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import Membership, User
from shared_apps.core.demo import demo_step
from tenant_apps.catalogue.generator import generate
from tenant_apps.catalogue.models import Activity, Provider
from tenants.models import Territory

# (activities, providers) per demo territory.
DEMO_SIZES = {
    "vilnius": (1150, 372),
    "ljubljana": (260, 85),
    "cagliari": (250, 80),
    "mikkeli": (240, 75),
}
DEFAULT_SIZE = (200, 70)


@demo_step(order=30)
def demo_catalogue(territory: Territory, users: dict[str, User]) -> None:
    if Activity.objects.exists():
        return
    activities, providers = DEMO_SIZES.get(territory.slug, DEFAULT_SIZE)
    owner = users.get(f"provider.{territory.slug}")
    with transaction.atomic():
        generate(
            territory=territory,
            activities=activities,
            providers=providers,
            seed=sum(map(ord, territory.slug)),
            owner=owner,
        )
        first = Provider.objects.order_by("pk").first()
        if owner is not None and first is not None:
            # The demo provider account works for a verified provider (not trusted, so
            # its activities show the review workflow).
            Provider.objects.filter(pk=first.pk).update(
                status=Provider.Status.VERIFIED, trusted=False
            )
            membership = Membership.objects.filter(user=owner, territory=territory).first()
            if membership is None or membership.role != Membership.Role.TERRITORY_ADMIN:
                grant_membership(
                    user=owner, territory=territory, role=Membership.Role.PROVIDER_STAFF
                )
