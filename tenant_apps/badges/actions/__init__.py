"""Every change to badges: atomic, audited, side effects (the backpack index) on commit.

Actions take the territory explicitly (resolved at the edge) and run in its schema.

One module per topic; every public name is re-exported here, so callers import
from ``tenant_apps.badges.actions`` as before.
"""

from __future__ import annotations

from tenant_apps.badges.actions.applications import (
    EvidenceInput,
    apply_for_badge,
    resubmit_application,
    review_application,
)
from tenant_apps.badges.actions.awards import (
    AwardError,
    Recipient,
    award_badge,
    award_many,
    holds,
    recipient_for_user,
    revoke_award,
)
from tenant_apps.badges.actions.badge_classes import (
    BadgeClassData,
    archive_badge_class,
    create_badge_class,
    update_badge_class,
)
from tenant_apps.badges.actions.claim_codes import (
    CODE_ALPHABET,
    claim_with_code,
    create_claim_codes,
    deactivate_claim_code,
    new_code,
    normalise_code,
)
from tenant_apps.badges.actions.issuers import (
    create_provider_issuer,
    ensure_issuers,
    ensure_provider_issuer,
    ensure_territory_issuer,
    rotate_issuer_key,
    update_issuer,
)

__all__ = [
    "CODE_ALPHABET",
    "AwardError",
    "BadgeClassData",
    "EvidenceInput",
    "Recipient",
    "apply_for_badge",
    "archive_badge_class",
    "award_badge",
    "award_many",
    "claim_with_code",
    "create_badge_class",
    "create_claim_codes",
    "create_provider_issuer",
    "deactivate_claim_code",
    "ensure_issuers",
    "ensure_provider_issuer",
    "ensure_territory_issuer",
    "holds",
    "new_code",
    "normalise_code",
    "recipient_for_user",
    "resubmit_application",
    "review_application",
    "revoke_award",
    "rotate_issuer_key",
    "update_badge_class",
    "update_issuer",
]
