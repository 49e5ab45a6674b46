"""Award a badge from the command line (for operators):

    python manage.py award_badge --territory vilnius --badge <badge id or slug> --email a@b.org

Prints the Open Badges 2.0 assertion URL and the Open Badges 3.0 credential URL.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db.models import Q
from django_tenants.utils import tenant_context

from tenant_apps.badges import actions, identity
from tenant_apps.badges.models import Award, BadgeClass
from tenants.models import Territory


class Command(BaseCommand):
    help = "Award a badge to an email address and print the assertion and credential URLs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", required=True, help="the territory's address (slug)")
        parser.add_argument("--badge", required=True, help="the badge's id, uuid or slug")
        parser.add_argument("--email", required=True, help="the recipient's email address")

    def handle(self, *args: Any, **options: Any) -> None:
        territory = Territory.objects.filter(slug=options["territory"]).first()
        if territory is None:
            raise CommandError(f"No territory with the address {options['territory']!r}.")
        try:
            validate_email(options["email"])
        except ValidationError:
            raise CommandError(f"{options['email']!r} is not an email address.") from None
        with tenant_context(territory):
            badge = self._badge(options["badge"])
            try:
                award = actions.award_badge(
                    territory=territory,
                    badge_class=badge,
                    recipient=actions.Recipient(email=options["email"]),
                    source=Award.Source.COMMAND,
                )
            except actions.AwardError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(identity.ob2_assertion_url(territory, award))
            self.stdout.write(identity.ob3_credential_url(territory, award))

    def _badge(self, key: str) -> BadgeClass:
        query = Q(slug=key)
        if key.isdigit():
            query |= Q(pk=int(key))
        with contextlib.suppress(ValueError):
            query |= Q(uuid=uuid.UUID(key))
        badge = BadgeClass.objects.filter(query).select_related("issuer").first()
        if badge is None:
            raise CommandError(f"No badge {key!r} in this territory.")
        return badge
