"""The catalogue's items of the welcome checklist (shared_apps/onboarding/checklist.py).

Each runs in the territory's schema and is one cheap query."""

from __future__ import annotations

from shared_apps.accounts.models import Membership
from shared_apps.onboarding.checklist import provide_check
from tenant_apps.catalogue.models import Activity, CatalogueSetup, Provider, StaffInvitation
from tenants.models import Territory


def interests_reviewed(territory: Territory) -> bool:
    # The seeded taxonomy counts as reviewed once an admin saved an interest or adopted a
    # network template's list: adding, renaming or switching one off is how a city adapts
    # it. The catalogue's actions write the fact down (CatalogueSetup), in this schema.
    return CatalogueSetup.objects.filter(interests_reviewed_at__isnull=False).exists()


def activity_published(territory: Territory) -> bool:
    return Activity.objects.filter(status=Activity.Status.PUBLISHED).exists()


def providers_invited(territory: Territory) -> bool:
    # Done once the territory has invited an organisation (whatever became of the
    # invitation), a provider was verified here or someone has the provider role: one
    # query (the memberships are in the public schema, on the search path).
    verified = Provider.objects.filter(status=Provider.Status.VERIFIED).values("pk")
    invited = StaffInvitation.objects.exclude(organisation_name="").values("pk")
    staff = Membership.objects.filter(
        territory=territory, role=Membership.Role.PROVIDER_STAFF
    ).values("pk")
    return verified.union(invited, staff).exists()


def register() -> None:
    provide_check(
        "providers", url_name="catalogue_review:provider_invitations", is_done=providers_invited
    )
    provide_check("interests", url_name="catalogue_review:interests", is_done=interests_reviewed)
    provide_check("activity", url_name="catalogue:studio_home", is_done=activity_published)
