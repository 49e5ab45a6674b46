"""An activity's way to the public: submit, approve, return, withdraw, archive, delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.notifications import actions as notifications
from shared_apps.notifications import kinds
from tenant_apps.catalogue import publishing
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.actions.activities import _refresh
from tenant_apps.catalogue.models import (
    Activity,
    ProviderStaff,
)
from tenant_apps.catalogue.search import territory_today
from tenants.models import Territory


def publication_problems(activity: Activity, territory: Territory) -> list[str]:
    """What is missing before an activity can be shown to the public."""
    problems = []
    if not activity.summary.strip():
        problems.append(_("Write a short summary."))
    if not activity.interests.exists():
        problems.append(_("Choose at least one interest."))
    if activity.is_local and activity.venue_id is None:
        problems.append(_("Choose the venue where it takes place."))
    if activity.is_online and not activity.online_url:
        problems.append(_("Give the link to join online."))
    if activity.join_method == Activity.JoinMethod.LINK and not activity.join_url:
        problems.append(_("Give the sign-up link."))
    if activity.join_method == Activity.JoinMethod.CONTACT and not activity.join_contact:
        problems.append(_("Say whom to contact to join."))
    try:
        sched.validate(activity.schedule(territory.timezone))
    except sched.ScheduleError as error:
        problems.append(error.message)
    if activity.last_date is not None and activity.last_date < territory_today(territory.timezone):
        problems.append(_("All its dates are in the past."))
    return problems


def _status(
    activity: Activity,
    *,
    territory: Territory,
    acting_user: User,
    status: str,
    action: str,
    reason: str = "",
) -> Activity:
    previous = activity.status
    now = timezone.now()
    activity.status = status
    activity.return_reason = reason.strip()
    if status == Activity.Status.SUBMITTED:
        activity.submitted_at = now
    if status == Activity.Status.PUBLISHED and activity.published_at is None:
        activity.published_at = now
    activity.save(
        update_fields=["status", "return_reason", "submitted_at", "published_at", "updated_at"]
    )
    _refresh(territory, [activity.pk], content_changed=False)
    record(
        actor=acting_user,
        action=action,
        territory=territory,
        target=activity,
        details={"previous": previous, "status": status, "reason": activity.return_reason},
    )
    return activity


@transaction.atomic
def submit_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """Send a draft for review, or publish it at once when the provider is trusted."""
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.ARCHIVED):
        raise ValidationError(_("Only drafts can be sent for review."))
    problems = publication_problems(activity, territory)
    if problems:
        raise ValidationError(problems)
    if activity.provider.trusted and activity.provider.is_verified:
        return _status(
            activity,
            territory=territory,
            acting_user=acting_user,
            status=Activity.Status.PUBLISHED,
            action="activity.published",
        )
    return _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.SUBMITTED,
        action="activity.submitted",
    )


@transaction.atomic
def approve_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """The territory admin publishes a submitted activity."""
    if activity.status != Activity.Status.SUBMITTED:
        raise ValidationError(_("Only activities waiting for review can be approved."))
    activity = _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.PUBLISHED,
        action="activity.approved",
    )
    _notify_provider(activity, territory, kinds.ACTIVITY_APPROVED)
    return activity


@transaction.atomic
def return_activity(
    *, activity: Activity, territory: Territory, acting_user: User, reason: str
) -> Activity:
    """The territory admin sends an activity back to its provider (also a published
    one, which leaves the public site) with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the provider knows what to fix.")})
    if activity.status not in (Activity.Status.SUBMITTED, Activity.Status.PUBLISHED):
        raise ValidationError(_("Only submitted or published activities can be returned."))
    activity = _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.DRAFT,
        action="activity.returned",
        reason=reason,
    )
    _notify_provider(activity, territory, kinds.ACTIVITY_RETURNED)
    return activity


def _notify_provider(activity: Activity, territory: Territory, kind: str) -> None:
    """Tell the provider's team what the territory decided about their activity."""
    team = User.objects.filter(
        pk__in=ProviderStaff.objects.filter(provider_id=activity.provider_id).values("user_id")
    )
    notifications.notify_many(
        users=team,
        kind=kind,
        territory=territory,
        params={"title": activity.title},
        path=reverse("catalogue:edit_activity", args=[activity.provider_id, activity.pk]),
    )


@transaction.atomic
def withdraw_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """The provider takes a submitted activity back to edit it."""
    if activity.status != Activity.Status.SUBMITTED:
        raise ValidationError(_("Only activities waiting for review can be withdrawn."))
    return _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.DRAFT,
        action="activity.withdrawn",
    )


@transaction.atomic
def archive_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """Take an activity off the site and keep it (to run again next season)."""
    if activity.status == Activity.Status.ARCHIVED:
        return activity
    return _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.ARCHIVED,
        action="activity.archived",
    )


@transaction.atomic
def delete_activity(*, activity: Activity, territory: Territory, acting_user: User) -> None:
    was_public = activity.is_public
    pk = activity.pk
    record(
        actor=acting_user,
        action="activity.deleted",
        territory=territory,
        target=activity,
        details={"title": activity.title, "was_public": was_public},
    )
    if activity.image:
        activity.image.delete(save=False)
    activity.delete()
    if was_public:
        publishing.notify("deleted", [pk])
