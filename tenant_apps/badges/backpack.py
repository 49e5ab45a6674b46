"""What the network's backpack index (shared_apps.backpack) copies of this territory's
awards: registered as its award source in BadgesConfig.ready(), so the public-schema
backpack reads awards through this module and never imports the badges app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tenant_apps.badges import identity
from tenant_apps.badges.models import Award
from tenants.models import Territory


def award_ids() -> list[int]:
    """Every award of the current schema."""
    return list(Award.objects.values_list("pk", flat=True))


def award_rows(territory: Territory, award_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The public facts of these awards of ``territory`` (the current schema)."""
    awards = Award.objects.filter(pk__in=list(award_ids)).select_related(
        "badge_class", "badge_class__issuer"
    )
    rows: list[dict[str, Any]] = []
    for award in awards:
        badge = award.badge_class
        rows.append(
            {
                "award_uuid": award.uuid,
                "recipient_email": award.recipient_email,
                "recipient_user_id": award.recipient_user_id,
                "badge_name": badge.name,
                "badge_description": badge.description[:2000],
                "issuer_name": badge.issuer.name,
                "image_url": identity.badge_image_url(territory, badge, "png"),
                "award_url": identity.award_page_url(territory, award),
                "assertion_url": identity.ob2_assertion_url(territory, award),
                "credential_url": identity.ob3_credential_url(territory, award),
                "issued_on": award.issued_on,
                "expires_on": award.expires_on,
                "revoked_at": award.revoked_at,
                "revocation_reason": award.revocation_reason,
            }
        )
    return rows
