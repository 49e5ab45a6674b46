"""Load the demo network (idempotent: `make run` calls it on every start)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django_tenants.utils import tenant_context

from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import Coordinator, User
from shared_apps.core.demo import registered_steps
from shared_apps.network.demo import (
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    DEMO_ROLES,
    DEMO_TERRITORIES,
    PLATFORM_STAFF_EMAIL,
)
from tenants.actions import provision_territory
from tenants.models import Territory


def demo_user(email: str, **extra: Any) -> User:
    user, created = User.objects.get_or_create(email=email, defaults=extra)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


class Command(BaseCommand):
    help = "Create the demo territories and users (and each app's demo content) if missing."

    def handle(self, *args: Any, **options: Any) -> None:
        users: dict[str, User] = {
            "coordinator": demo_user(COORDINATOR_EMAIL, display_name="Network coordinator"),
            "staff": demo_user(
                PLATFORM_STAFF_EMAIL,
                display_name="Platform staff",
                is_staff=True,
                is_superuser=True,
            ),
        }
        territories: list[Territory] = []
        for spec in DEMO_TERRITORIES:
            territory = Territory.objects.filter(slug=spec.slug).first()
            admin = demo_user(spec.email("admin"))
            if territory is None:
                with transaction.atomic():
                    territory = provision_territory(
                        name=spec.name,
                        slug=spec.slug,
                        country=spec.country,
                        default_language=spec.language,
                        languages=[spec.language, "en"],
                        timezone_name=spec.timezone,
                        map_center=Point(spec.lon, spec.lat, srid=4326),
                        default_zoom=spec.zoom,
                        kind=spec.kind,
                        primary_color=spec.primary_color,
                        accent_color=spec.accent_color,
                        status=Territory.Status.ACTIVE,
                        admin=admin,
                    )
                self.stdout.write(f"demo: provisioned {territory.slug}")
            for role_key, role in DEMO_ROLES.items():
                user = admin if role_key == "admin" else demo_user(spec.email(role_key))
                grant_membership(user=user, territory=territory, role=role)
                users[f"{role_key}.{spec.slug}"] = user
            territories.append(territory)

        coordinator, _created = Coordinator.objects.get_or_create(user=users["coordinator"])
        coordinator.territories.add(*territories)

        autodiscover_modules("demo")  # each app's demo.py registers its steps
        for step in registered_steps():
            if step.scope == "network":
                step.run(territories, users)
                continue
            for territory in territories:
                with tenant_context(territory):
                    step.run(territory, users)
        self.stdout.write(self.style.SUCCESS(f"demo: {len(territories)} territories ready"))
