"""Learners: saved activities and interest shown to a provider."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from shared_apps.accounts.models import User
from shared_apps.guardians.selectors import is_restricted
from tenant_apps.catalogue.models import (
    Activity,
    InterestedLearner,
    SavedActivity,
)
from tenant_apps.demand.actions import log_interest


def save_for_later(*, user: User, activity: Activity) -> None:
    try:
        with transaction.atomic():
            SavedActivity.objects.get_or_create(user=user, activity=activity)
    except IntegrityError:
        pass  # saved twice at once: it is saved


def forget_saved(*, user: User, activity: Activity) -> None:
    SavedActivity.objects.filter(user=user, activity=activity).delete()


@transaction.atomic
def mark_interested(
    *,
    user: User,
    activity: Activity,
    share_contact: bool,
    point: tuple[float, float] | None,
) -> InterestedLearner:
    """The learner tells the provider they want to join. The demand log gets an
    anonymous line (interests and coarse cells only)."""

    # A minor without a guardian's consent never hands their address to a provider.
    share_contact = share_contact and not is_restricted(user)
    interested, created = InterestedLearner.objects.get_or_create(
        user=user, activity=activity, defaults={"share_contact": share_contact}
    )
    if not created and interested.share_contact != share_contact:
        interested.share_contact = share_contact
        interested.save(update_fields=["share_contact"])
    if created:
        save_for_later(user=user, activity=activity)
        venue_point = None
        if activity.location is not None:
            venue_point = (activity.location.y, activity.location.x)
        log_interest(
            activity_id=activity.pk,
            interest_slugs=activity.interests.values_list("slug", flat=True),
            point=point,
            activity_point=venue_point,
        )
    return interested


@transaction.atomic
def withdraw_interest(*, user: User, activity: Activity) -> None:
    InterestedLearner.objects.filter(user=user, activity=activity).delete()
