"""What the backpack index holds about an account, for the data-rights registry
(shared_apps.accounts.data_rights), and what consent withdrawal undoes here (guardians):
registered in BackpackConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from shared_apps.accounts import data_rights
from shared_apps.backpack.models import BackpackEntry, new_share_token
from shared_apps.backpack.selectors import entries_for
from shared_apps.core.digests import email_digest
from shared_apps.guardians.actions import register_consent_withdrawn


def export_backpack(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "territory": entry.territory.slug,
            "badge": entry.badge_name,
            "issuer": entry.issuer_name,
            "issued_on": entry.issued_on.isoformat(),
            "assertion_url": entry.assertion_url,
            "credential_url": entry.credential_url,
            "public": entry.is_public,
        }
        for entry in entries_for(user)
    ]


def erase_backpack(user: Any) -> None:
    digests = [email_digest(email) for email in data_rights.account_emails(user)]
    BackpackEntry.objects.filter(Q(user=user) | Q(email_digest__in=digests)).delete()


def unshare_all(user_id: int) -> None:
    """Consent withdrawn: every public share page of the learner's badges goes private."""
    for entry in BackpackEntry.objects.filter(user_id=user_id, is_public=True):
        # A new token too: links given out while it was public never work again.
        entry.is_public = False
        entry.share_token = new_share_token()
        entry.save(update_fields=["is_public", "share_token", "updated_at"])


def register() -> None:
    data_rights.register(
        "backpack", scope=data_rights.PUBLIC, exporter=export_backpack, eraser=erase_backpack
    )
    register_consent_withdrawn(unshare_all, scope=data_rights.PUBLIC)
