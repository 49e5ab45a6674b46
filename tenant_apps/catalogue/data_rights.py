"""What the catalogue of one territory holds about an account (saved activities, "I'm
interested", provider staff roles), for the data-rights registry
(shared_apps.accounts.data_rights): runs in every territory's schema that may hold rows
about the account. Registered in CatalogueConfig.ready()."""

from __future__ import annotations

from typing import Any

from shared_apps.accounts import data_rights
from shared_apps.guardians.actions import register_consent_withdrawn
from tenant_apps.catalogue.models import InterestedLearner, ProviderStaff, SavedActivity


def export_catalogue(user: Any) -> dict[str, Any] | None:
    saved = list(
        SavedActivity.objects.filter(user_id=user.pk).values_list("activity__title", "created_at")
    )
    interested = list(
        InterestedLearner.objects.filter(user_id=user.pk).values_list(
            "activity__title", "share_contact", "created_at"
        )
    )
    staff = list(
        ProviderStaff.objects.filter(user_id=user.pk).values_list("provider__name", "role")
    )
    if not (saved or interested or staff):
        return None
    return {
        "saved": [{"activity": t, "saved_at": c.isoformat()} for t, c in saved],
        "interested": [
            {"activity": t, "share_contact": s, "at": c.isoformat()} for t, s, c in interested
        ],
        "provider_staff": [{"provider": p, "role": r} for p, r in staff],
    }


def erase_catalogue(user: Any) -> None:
    SavedActivity.objects.filter(user_id=user.pk).delete()
    InterestedLearner.objects.filter(user_id=user.pk).delete()
    ProviderStaff.objects.filter(user_id=user.pk).delete()


def stop_sharing_contact(user_id: int) -> None:
    """Consent withdrawn: providers no longer see the address the learner shared with
    "I'm interested" (run in each of the learner's territories)."""
    InterestedLearner.objects.filter(user_id=user_id, share_contact=True).update(
        share_contact=False
    )


def register() -> None:
    register_consent_withdrawn(stop_sharing_contact, scope=data_rights.TERRITORY)
    data_rights.register(
        "catalogue", scope=data_rights.TERRITORY, exporter=export_catalogue, eraser=erase_catalogue
    )
