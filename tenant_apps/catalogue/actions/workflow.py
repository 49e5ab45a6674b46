"""An activity's way to the public: submit, approve, return, withdraw, archive (the
moderation workflow's table, ``ACTIVITY_WORKFLOW``, run by tenant_apps.moderation),
and delete."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
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
from tenant_apps.moderation.workflow import (
    NOT_ALLOWED,
    Attempt,
    Event,
    Hook,
    ModerationStatus,
    On,
    Workflow,
    table,
    transition,
)
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


def _complete(attempt: Attempt[Activity]) -> list[str]:
    return publication_problems(attempt.obj, attempt.territory)


def _trusted(activity: Activity) -> bool:
    return activity.provider.trusted and activity.provider.is_verified


def _publishes_at_once(attempt: Attempt[Activity]) -> list[str]:
    """Only a trusted, verified provider publishes without review."""
    return [] if _trusted(attempt.obj) else [str(NOT_ALLOWED)]


def _reindex(attempt: Attempt[Activity]) -> None:
    # Visibility and search columns follow the status; subscribers (the network
    # index, page caches) hear of it after commit through ``publishing``.
    _refresh(attempt.territory, [attempt.obj.pk], content_changed=False)


def _tell_provider(kind: str) -> Hook[Activity]:
    def tell(attempt: Attempt[Activity]) -> None:
        _notify_provider(attempt.obj, attempt.territory, kind)

    return tell


def _stamp(attempt: Attempt[Activity], target: ModerationStatus) -> tuple[str, ...]:
    if target != ModerationStatus.SUBMITTED:
        return ()
    # The reviewer sees who sent it (selectors.submitted_by).
    attempt.obj.submitted_by_id = attempt.acting_user.pk
    return ("submitted_by",)


def _is_curator(activity: Activity, user: User) -> bool:
    return ProviderStaff.objects.filter(provider_id=activity.provider_id, user=user).exists()


ACTIVITY_WORKFLOW = Workflow[Activity](
    name="activity",
    model=Activity,
    table=table(
        {
            Event.SUBMIT: On(AuditEvent.ACTIVITY_SUBMITTED, (_complete,), (_reindex,)),
            Event.PUBLISH: On(
                AuditEvent.ACTIVITY_PUBLISHED, (_publishes_at_once, _complete), (_reindex,)
            ),
            Event.APPROVE: On(
                AuditEvent.ACTIVITY_APPROVED,
                effects=(_reindex, _tell_provider(kinds.ACTIVITY_APPROVED)),
            ),
            Event.RETURN: On(
                AuditEvent.ACTIVITY_RETURNED,
                effects=(_reindex, _tell_provider(kinds.ACTIVITY_RETURNED)),
            ),
            Event.WITHDRAW: On(AuditEvent.ACTIVITY_WITHDRAWN, effects=(_reindex,)),
            Event.ARCHIVE: On(AuditEvent.ACTIVITY_ARCHIVED, effects=(_reindex,)),
        }
    ),
    refusals={
        Event.SUBMIT: gettext_lazy("Only drafts can be sent for review."),
        Event.PUBLISH: gettext_lazy("Only drafts can be sent for review."),
        Event.APPROVE: gettext_lazy("Only activities waiting for review can be approved."),
        Event.RETURN: gettext_lazy("Only submitted or published activities can be returned."),
        Event.WITHDRAW: gettext_lazy("Only activities waiting for review can be withdrawn."),
    },
    is_curator=_is_curator,
    reason_required={
        Event.RETURN: gettext_lazy("Say why, so the provider knows what to fix."),
    },
    idempotent=frozenset({Event.ARCHIVE}),
    stamp=_stamp,
    keep_first_published_at=True,
)


def submit_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """Send a draft for review, or publish it at once when the provider is trusted."""
    event = Event.PUBLISH if _trusted(activity) else Event.SUBMIT
    return transition(
        ACTIVITY_WORKFLOW, activity, event, territory=territory, acting_user=acting_user
    )


def approve_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """The territory admin publishes a submitted activity."""
    return transition(
        ACTIVITY_WORKFLOW, activity, Event.APPROVE, territory=territory, acting_user=acting_user
    )


def return_activity(
    *, activity: Activity, territory: Territory, acting_user: User, reason: str
) -> Activity:
    """The territory admin sends an activity back to its provider (also a published
    one, which leaves the public site) with a reason."""
    return transition(
        ACTIVITY_WORKFLOW,
        activity,
        Event.RETURN,
        territory=territory,
        acting_user=acting_user,
        reason=reason,
    )


def withdraw_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """The provider takes a submitted activity back to edit it."""
    return transition(
        ACTIVITY_WORKFLOW, activity, Event.WITHDRAW, territory=territory, acting_user=acting_user
    )


def archive_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """Take an activity off the site and keep it (to run again next season)."""
    return transition(
        ACTIVITY_WORKFLOW, activity, Event.ARCHIVE, territory=territory, acting_user=acting_user
    )


@transaction.atomic
def delete_activity(*, activity: Activity, territory: Territory, acting_user: User) -> None:
    was_public = activity.is_public
    pk = activity.pk
    record(
        actor=acting_user,
        action=AuditEvent.ACTIVITY_DELETED,
        territory=territory,
        target=activity,
        details={"title": activity.title, "was_public": was_public},
    )
    if activity.image:
        activity.image.delete(save=False)
    activity.delete()
    if was_public:
        publishing.notify("deleted", [pk])
