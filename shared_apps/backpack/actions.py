"""Writes to the backpack index. Called after the territory's transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from django.db import transaction
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.backpack.models import BackpackEntry, new_share_token
from shared_apps.backpack.selectors import owned_entry
from shared_apps.core.digests import email_digest
from shared_apps.guardians.selectors import SharingRestricted, is_restricted
from tenants.models import Territory

logger = logging.getLogger(__name__)


UPDATED_FIELDS = [
    "badge_name",
    "badge_description",
    "issuer_name",
    "image_url",
    "award_url",
    "assertion_url",
    "credential_url",
    "issued_on",
    "expires_on",
    "revoked_at",
    "revocation_reason",
]


class AwardSource(Protocol):
    """What the index needs of the badges app, read in a territory's schema."""

    def award_ids(self) -> list[int]:
        """Every award of the current schema (reindex_backpack)."""
        ...

    def award_rows(self, territory: Territory, award_ids: Sequence[int]) -> list[dict[str, Any]]:
        """One row per award: ``recipient_email``, ``recipient_user_id``, ``award_uuid``
        and the UPDATED_FIELDS, all public facts of the award."""
        ...


# Filled by tenant_apps.badges in its AppConfig.ready(): the backpack lives in the public
# schema, below the territory apps, and never imports them.
_award_source: list[AwardSource] = []


def register_award_source(source: AwardSource) -> None:
    """Where index_awards and reindex_backpack read awards from (one source)."""
    _award_source[:] = [source]


def award_source() -> AwardSource | None:
    return _award_source[0] if _award_source else None


def index_awards(*, territory_id: int, award_ids: Sequence[int]) -> int:
    """Copy the awards' public facts into the index (insert or update). Returns the
    number of rows written. Safe to repeat: the territory's awards are the truth."""
    source = award_source()
    if source is None:
        return 0
    territory = Territory.objects.get(pk=territory_id)
    with tenant_context(territory):
        rows = source.award_rows(territory, list(award_ids))
    emails = {row["recipient_email"] for row in rows if row["recipient_user_id"] is None}
    users_by_email = {
        email.lower(): pk
        for email, pk in User.objects.filter(email__in=emails).values_list("email", "pk")
    }
    entries = []
    for row in rows:
        email = str(row.pop("recipient_email"))
        user_id = row.pop("recipient_user_id") or users_by_email.get(email)
        entries.append(
            BackpackEntry(
                territory=territory, user_id=user_id, email_digest=email_digest(email), **row
            )
        )
    # One upsert for the batch (a festival awards a thousand at once). The owner's
    # sharing choice (is_public, share_token) is never overwritten.
    BackpackEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["territory", "award_uuid"],
        update_fields=[*UPDATED_FIELDS, "user", "email_digest", "updated_at"],
    )
    return len(rows)


@transaction.atomic
def set_sharing(
    *, user: User, entry_id: int, public: bool, evidence: bool | None = None
) -> BackpackEntry:
    """The owner turns the public share page of one badge on or off (and, with
    ``evidence``, whether their application's evidence shows on it). Turning it off
    and on again gives a new address, so an old link stops working for good; a
    private page shares no evidence."""

    if public and is_restricted(user):
        raise SharingRestricted
    entry = owned_entry(user, entry_id, for_update=True)
    if entry.is_public and not public:
        entry.share_token = new_share_token()
    entry.is_public = public
    if evidence is not None:
        entry.share_evidence = evidence
    if not public:
        entry.share_evidence = False
    entry.save(update_fields=["is_public", "share_evidence", "share_token", "updated_at"])
    return entry
