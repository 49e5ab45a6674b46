"""Create a territory from the command line: schema, subdomain and first admin at once."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shared_apps.accounts.models import User
from tenants.actions import provision_territory
from tenants.models import Territory


def parse_center(value: str) -> Point:
    try:
        lat_text, lon_text = value.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError as exc:
        raise CommandError(f"--center must be 'latitude,longitude', got {value!r}") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CommandError("--center is outside the range of latitudes and longitudes")
    return Point(lon, lat, srid=4326)


class Command(BaseCommand):
    help = "Provision a territory: its schema, its <slug> subdomain and its first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="subdomain, e.g. vilnius")
        parser.add_argument("--name", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166 code, e.g. LT")
        parser.add_argument("--language", required=True, help="default language, e.g. lt")
        parser.add_argument("--languages", default="", help="other languages, e.g. en,ru")
        parser.add_argument("--timezone", required=True, help="e.g. Europe/Vilnius")
        parser.add_argument("--center", required=True, help="map centre 'lat,lon'")
        parser.add_argument("--zoom", type=int, default=12)
        parser.add_argument("--kind", choices=Territory.Kind.values, default=Territory.Kind.CITY)
        parser.add_argument("--primary-color")
        parser.add_argument("--accent-color")
        parser.add_argument("--admin-email", help="first territory admin (created if new)")
        parser.add_argument("--status", choices=["trial", "active"], default="trial")

    def handle(self, *args: Any, **options: Any) -> None:
        # The admin account is created in the same transaction: a refused territory
        # leaves no account behind.
        with transaction.atomic():
            territory, new_admin = self._provision(options)
        if new_admin is not None:
            self.stdout.write(
                f"Created account {new_admin.email}: set its password with 'Forgot password?'."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Territory {territory.slug} is live at {territory.url}")
        )

    def _provision(self, options: dict[str, Any]) -> tuple[Territory, User | None]:
        admin, new_admin = None, None
        if options["admin_email"]:
            admin, created = User.objects.get_or_create(email=options["admin_email"].lower())
            if created:
                admin.set_unusable_password()
                admin.save(update_fields=["password"])
                new_admin = admin
        try:
            territory = provision_territory(
                name=options["name"],
                slug=options["slug"],
                country=options["country"].upper(),
                default_language=options["language"],
                languages=[code for code in options["languages"].split(",") if code],
                timezone_name=options["timezone"],
                map_center=parse_center(options["center"]),
                default_zoom=options["zoom"],
                kind=options["kind"],
                primary_color=options["primary_color"],
                accent_color=options["accent_color"],
                status=options["status"],
                admin=admin,
            )
        except ValidationError as error:
            lines = [
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            ]
            raise CommandError("Territory not created.\n" + "\n".join(lines)) from error
        return territory, new_admin
