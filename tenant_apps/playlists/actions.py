"""Every change to playlists, their steps and learners' progress: atomic, audited
where privileged, and the completion rules (``rules``) enforced here, so pages, the
API and any other caller behave the same.

The territory is always passed in (resolved from the host at the edge); the rows
touched live in its schema, which the connection is already in.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from shared_apps.accounts.actions import ensure_learner_membership
from shared_apps.accounts.models import Membership, User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.evidence import store_evidence_file
from shared_apps.core.pagecache import public_content_changed
from shared_apps.guardians.selectors import RESTRICTED_MESSAGE, is_restricted
from shared_apps.netsearch.selectors import online_activities
from shared_apps.notifications import actions as notifications
from shared_apps.notifications import kinds
from tenant_apps.badges.events import PlaylistCompleted, award_for_playlist_completion
from tenant_apps.badges.models import BadgeClass
from tenant_apps.catalogue.models import Activity, Interest, Provider
from tenant_apps.catalogue.search import territory_today
from tenant_apps.evidence.review import APPROVE, IMPROVE, REJECT, ReviewAdapter, review
from tenant_apps.moderation.workflow import (
    NOT_ALLOWED,
    Attempt,
    Event,
    On,
    Workflow,
    table,
    transition,
)
from tenant_apps.playlists import rules
from tenant_apps.playlists.models import Enrolment, Playlist, Step, StepProgress
from tenant_apps.playlists.selectors import managed_playlists
from tenants.models import Territory

State = StepProgress.State


@dataclass(frozen=True)
class PlaylistData:
    title: str
    description: str = ""
    interests: Sequence[Interest] = ()
    is_ordered: bool = False
    min_optional: int = 0
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    estimated_hours: int | None = None
    badge_class: BadgeClass | None = None
    cover: File[bytes] | None = None
    remove_cover: bool = False


def _apply(playlist: Playlist, data: PlaylistData) -> None:
    if not data.title.strip():
        raise ValidationError({"title": _("Give the playlist a title.")})
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    playlist.title = data.title.strip()
    playlist.description = data.description.strip()
    playlist.is_ordered = data.is_ordered
    playlist.min_optional = data.min_optional
    playlist.starts_on = data.starts_on
    playlist.ends_on = data.ends_on
    playlist.estimated_hours = data.estimated_hours
    playlist.badge_class = None if playlist.is_personal else data.badge_class
    if data.remove_cover and playlist.cover:
        playlist.cover.delete(save=False)
    if data.cover is not None:
        playlist.cover.save(data.cover.name or "cover", data.cover, save=False)
    playlist.save()
    playlist.interests.set(list(data.interests))


@transaction.atomic
def create_playlist(
    *,
    territory: Territory,
    acting_user: User,
    data: PlaylistData,
    provider: Provider | None = None,
    personal: bool = False,
) -> Playlist:
    """A draft playlist curated by a provider, by the territory (provider None), or
    a learner's personal playlist (private until they share it)."""
    if personal:
        playlist = Playlist(curator=Playlist.Curator.LEARNER, owner=acting_user)
    elif provider is not None:
        playlist = Playlist(curator=Playlist.Curator.PROVIDER, provider=provider)
    else:
        playlist = Playlist(curator=Playlist.Curator.TERRITORY)
    _apply(playlist, data)
    if not personal:
        record(
            actor=acting_user,
            action=AuditEvent.PLAYLIST_CREATED,
            territory=territory,
            target=playlist,
            details={"provider": provider.slug if provider else ""},
        )
    return playlist


@transaction.atomic
def update_playlist(
    *, playlist: Playlist, territory: Territory, acting_user: User, data: PlaylistData
) -> Playlist:
    _apply(playlist, data)
    public_content_changed()
    return playlist


# ---------------------------------------------------------------------------
# Steps (the builder). Steps change only while the playlist is a draft: learners'
# progress refers to them.
# ---------------------------------------------------------------------------


def _editable(playlist: Playlist) -> None:
    if playlist.status != Playlist.Status.DRAFT:
        raise ValidationError(_("Steps can be changed only while the playlist is a draft."))


def _remote_title(slug: str, activity_id: int | None) -> str:
    """A step in another city must point at an online activity published there now
    (through the network index, never by reading another territory's schema); its
    title is kept so the step still reads well if that activity goes away later."""

    own = getattr(getattr(connection, "tenant", None), "slug", "")
    if slug == own:
        raise ValidationError(
            {"remote_territory": _("This is an activity of this city: add it as an activity.")}
        )
    found = online_activities([(slug, activity_id or 0)]).get((slug, activity_id or 0))
    if found is None:
        raise ValidationError(
            {"remote_activity_id": _("No online activity with this number is published there.")}
        )
    return found.title


# The kind of step other apps create without a local activity (network templates).
CHALLENGE = Step.Kind.CHALLENGE


@transaction.atomic
def add_step(
    *,
    playlist: Playlist,
    kind: str,
    activity: Activity | None = None,
    remote_territory: str = "",
    remote_activity_id: int | None = None,
    title: str = "",
    instructions: str = "",
    is_required: bool = True,
    completion: str = Step.Completion.EVIDENCE,
) -> Step:
    _editable(playlist)
    Playlist.objects.select_for_update().filter(pk=playlist.pk).first()
    if kind == Step.Kind.ACTIVITY and activity is None:
        raise ValidationError({"activity": _("Choose an activity.")})
    if kind == Step.Kind.REMOTE and not (remote_territory and remote_activity_id):
        raise ValidationError({"remote_territory": _("Give the city and the activity number.")})
    if kind == Step.Kind.REMOTE:
        title = title or _remote_title(remote_territory, remote_activity_id)
    if kind == Step.Kind.CHALLENGE and not title.strip():
        raise ValidationError({"title": _("Give the challenge a title.")})
    if kind not in Step.Kind.values or completion not in Step.Completion.values:
        raise ValidationError(_("Unknown kind of step."))
    last = playlist.steps.aggregate(last=Max("position"))["last"]
    return Step.objects.create(
        playlist=playlist,
        position=(last or 0) + 1,
        kind=kind,
        activity=activity if kind == Step.Kind.ACTIVITY else None,
        remote_territory=remote_territory if kind == Step.Kind.REMOTE else "",
        remote_activity_id=remote_activity_id if kind == Step.Kind.REMOTE else None,
        title=title.strip(),
        instructions=instructions.strip(),
        is_required=is_required,
        completion=completion,
    )


@transaction.atomic
def move_step(*, step: Step, up: bool) -> None:
    """Swap a step with its neighbour (the unique position is checked at commit)."""
    _editable(step.playlist)
    siblings = step.playlist.steps.select_for_update()
    neighbour = (
        siblings.filter(position__lt=step.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=step.position).order_by("position").first()
    )
    if neighbour is None:
        return
    step.position, neighbour.position = neighbour.position, step.position
    step.save(update_fields=["position"])
    neighbour.save(update_fields=["position"])


@transaction.atomic
def remove_step(*, step: Step) -> None:
    _editable(step.playlist)
    step.delete()


# ---------------------------------------------------------------------------
# Publishing: the same workflow as activities.
# ---------------------------------------------------------------------------


def publication_problems(playlist: Playlist) -> list[str]:
    steps = list(playlist.steps.all())
    problems = []
    if not steps:
        problems.append(_("Add at least one step."))
    optional = sum(1 for s in steps if not s.is_required)
    if playlist.min_optional > optional:
        problems.append(
            _("%(needed)d optional steps are needed, but the playlist has %(count)d.")
            % {"needed": playlist.min_optional, "count": optional}
        )
    return problems


def _complete(attempt: Attempt[Playlist]) -> list[str]:
    return publication_problems(attempt.obj)


def _not_personal(attempt: Attempt[Playlist]) -> list[str]:
    publishing = attempt.event in (Event.SUBMIT, Event.PUBLISH)
    return (
        [_("Personal playlists are not published.")]
        if publishing and attempt.obj.is_personal
        else []
    )


def _trusted(playlist: Playlist) -> bool:
    return playlist.provider is not None and playlist.provider.trusted


def _publishes_at_once(attempt: Attempt[Playlist]) -> list[str]:
    """The territory admin and trusted providers publish without review."""
    if attempt.is_reviewer or _trusted(attempt.obj):
        return []
    return [str(NOT_ALLOWED)]


def _public_pages_changed(attempt: Attempt[Playlist]) -> None:
    # Public playlists are shown by cached page fragments (the home page's section).
    public_content_changed()


def _is_curator(playlist: Playlist, user: User) -> bool:
    """Provider staff curate their provider's playlists (the territory's own and
    learners' personal ones are not theirs; the admin curates every one)."""
    return playlist.provider is not None and playlist.provider.staff.filter(user=user).exists()


_CACHE = (_public_pages_changed,)
WORKFLOW = Workflow[Playlist](
    name="playlist",
    model=Playlist,
    table=table(
        {
            Event.SUBMIT: On(AuditEvent.PLAYLIST_SUBMITTED, (_complete,), after_commit=_CACHE),
            Event.PUBLISH: On(
                AuditEvent.PLAYLIST_PUBLISHED, (_publishes_at_once, _complete), after_commit=_CACHE
            ),
            Event.APPROVE: On(AuditEvent.PLAYLIST_PUBLISHED, (_complete,), after_commit=_CACHE),
            # The audit code is the new status, as before the shared workflow.
            Event.RETURN: On(AuditEvent.PLAYLIST_DRAFT, after_commit=_CACHE),
            Event.ARCHIVE: On(AuditEvent.PLAYLIST_ARCHIVED, after_commit=_CACHE),
            # No withdrawing: a playlist waiting for review is returned by the territory.
        }
    ),
    refusals={
        Event.SUBMIT: gettext_lazy("Only drafts can be sent for review."),
        Event.PUBLISH: gettext_lazy("Only drafts can be sent for review."),
        Event.APPROVE: gettext_lazy("Only playlists waiting for review can be approved."),
        Event.RETURN: gettext_lazy("Only submitted or published playlists can be returned."),
    },
    is_curator=_is_curator,
    eligible=_not_personal,
    idempotent=frozenset({Event.ARCHIVE}),
)


def submit_playlist(
    *, playlist: Playlist, territory: Territory, acting_user: User, is_admin: bool
) -> Playlist:
    """Send a draft for review; the territory admin and trusted providers publish at once."""
    event = Event.PUBLISH if is_admin or _trusted(playlist) else Event.SUBMIT
    return transition(WORKFLOW, playlist, event, territory=territory, acting_user=acting_user)


def approve_playlist(*, playlist: Playlist, territory: Territory, acting_user: User) -> Playlist:
    return transition(
        WORKFLOW, playlist, Event.APPROVE, territory=territory, acting_user=acting_user
    )


def return_playlist(
    *, playlist: Playlist, territory: Territory, acting_user: User, reason: str
) -> Playlist:
    """Back to draft (a submitted or a published playlist), with a reason."""
    return transition(
        WORKFLOW,
        playlist,
        Event.RETURN,
        territory=territory,
        acting_user=acting_user,
        reason=reason,
    )


def archive_playlist(*, playlist: Playlist, territory: Territory, acting_user: User) -> Playlist:
    return transition(
        WORKFLOW, playlist, Event.ARCHIVE, territory=territory, acting_user=acting_user
    )


@transaction.atomic
def set_sharing(*, playlist: Playlist, user: User, shared: bool) -> Playlist:
    """A personal playlist is private; sharing gives it an unguessable link, and
    stopping sharing makes that link dead for good."""

    if not playlist.is_personal or playlist.owner_id != user.pk:
        raise ValidationError(_("Only your own personal playlists can be shared."))
    if shared and is_restricted(user):
        raise ValidationError(RESTRICTED_MESSAGE)
    playlist.share_token = secrets.token_urlsafe(32) if shared else None
    playlist.save(update_fields=["share_token", "updated_at"])
    return playlist


# ---------------------------------------------------------------------------
# Learners
# ---------------------------------------------------------------------------


def _joinable(playlist: Playlist, user: User) -> bool:
    if playlist.is_personal:
        return playlist.owner_id == user.pk
    return playlist.is_published


@transaction.atomic
def join_playlist(*, playlist: Playlist, territory: Territory, user: User) -> Enrolment:
    """Join (or re-join, keeping earlier progress)."""
    if not _joinable(playlist, user):
        raise ValidationError(_("This playlist cannot be joined."))
    if playlist.ends_on and playlist.ends_on < territory_today(territory.timezone):
        raise ValidationError(_("This playlist has ended."))
    ensure_learner_membership(user=user, territory=territory)
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        playlist=playlist, user=user, defaults={"joined_at": timezone.now()}
    )
    if not created and enrolment.left_at is not None:
        enrolment.left_at = None
        enrolment.save(update_fields=["left_at"])
    return enrolment


@transaction.atomic
def leave_playlist(*, playlist: Playlist, user: User) -> None:
    Enrolment.objects.filter(playlist=playlist, user=user, left_at__isnull=True).update(
        left_at=timezone.now()
    )


def _progress_map(enrolment: Enrolment) -> dict[int, str]:
    return dict(enrolment.progress.values_list("step_id", "state"))


def _steps(playlist: Playlist) -> list[Step]:
    return list(playlist.steps.order_by("position"))


@transaction.atomic
def submit_evidence(
    *,
    playlist: Playlist,
    step: Step,
    territory: Territory,
    user: User,
    text: str = "",
    url: str = "",
    file: File[bytes] | None = None,
    content_type: str = "",
) -> StepProgress:
    """Send evidence for one step. Refused for locked steps of ordered playlists, for
    steps already done or waiting, for steps completed by check-in, and for anyone
    who has not joined. In personal playlists the learner's word is enough."""
    if step.playlist_id != playlist.pk:
        raise ValidationError(_("This step is not part of the playlist."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(playlist=playlist, user=user, left_at__isnull=True)
        .first()
    )
    if enrolment is None:
        raise ValidationError(_("Join the playlist first."))
    if step.completion == Step.Completion.CHECK_IN:
        raise ValidationError(_("This step is completed when the organiser checks you in."))
    if not (text.strip() or url.strip() or file is not None):
        raise ValidationError({"text": _("Describe what you did, add a link or a file.")})
    states = rules.step_states(
        _steps(playlist), _progress_map(enrolment), is_ordered=playlist.is_ordered
    )
    state = states.get(step.pk, rules.OPEN)
    if state == rules.LOCKED:
        raise ValidationError(_("This step opens when the steps before it are done."))
    if not rules.can_submit(state):
        raise ValidationError(_("This step cannot take new evidence."))
    progress, _created = StepProgress.objects.get_or_create(
        enrolment=enrolment, step=step, defaults={"playlist": playlist}
    )
    if progress.evidence_file:
        progress.evidence_file.delete(save=False)
    progress.evidence_text = text.strip()
    progress.evidence_url = url.strip()
    progress.evidence_content_type = content_type if file is not None else ""
    if file is not None:
        store_evidence_file(progress.evidence_file, file, content_type=content_type)
    progress.submitted_at = timezone.now()
    if playlist.is_personal:
        progress.state = State.APPROVED
        progress.reviewed_at = progress.submitted_at
    else:
        progress.state = State.SUBMITTED
    progress.save()
    if progress.state == State.APPROVED:
        _check_completion(enrolment, playlist, territory)
    return progress


class StepEvidence(ReviewAdapter[StepProgress]):
    """A step's evidence in the shared review (``tenant_apps.evidence``): reviewed by
    the playlist's organisers; an approval may open the next step and complete the
    playlist, in the decision's transaction (the completion badge after commit)."""

    feedback_required = gettext_lazy("Say what to improve, or why.")
    notification_kinds = {
        APPROVE: kinds.EVIDENCE_APPROVED,
        IMPROVE: kinds.EVIDENCE_IMPROVE,
        REJECT: kinds.EVIDENCE_REJECTED,
    }
    audit_events = {
        APPROVE: AuditEvent.PLAYLIST_EVIDENCE_APPROVE,
        IMPROVE: AuditEvent.PLAYLIST_EVIDENCE_IMPROVE,
        REJECT: AuditEvent.PLAYLIST_EVIDENCE_REJECT,
    }
    states: ClassVar[dict[str, str]] = {
        APPROVE: State.APPROVED,
        IMPROVE: State.NEEDS_IMPROVEMENT,
        REJECT: State.REJECTED,
    }

    def queryset(self) -> QuerySet[StepProgress]:
        return StepProgress.objects.all()

    def learner_id(self, item: StepProgress) -> int | None:
        return item.enrolment.user_id

    def may_review(self, item: StepProgress, *, reviewer: User, membership: Membership) -> bool:
        return managed_playlists(reviewer, membership).filter(pk=item.playlist_id).exists()

    def is_pending(self, item: StepProgress) -> bool:
        return item.state == State.SUBMITTED

    def apply(
        self,
        item: StepProgress,
        *,
        decision: str,
        comment: str,
        reviewer: User,
        territory: Territory,
    ) -> None:
        enrolment = item.enrolment
        playlist = enrolment.playlist
        before = _states(enrolment, playlist) if playlist.is_ordered else {}
        item.state = self.states[decision]
        item.reviewer_comment = comment
        item.reviewed_by = reviewer
        item.reviewed_at = timezone.now()
        item.save()
        if decision == APPROVE:
            _notify_unlocked(enrolment, playlist, territory, before)
            _check_completion(enrolment, playlist, territory)

    def audit_details(self, item: StepProgress) -> dict[str, Any]:
        return {"playlist": item.enrolment.playlist_id}

    def notification(self, item: StepProgress) -> tuple[User | None, dict[str, Any], str]:
        return (
            item.enrolment.user,
            {"title": item.step.display_title},
            reverse("playlists:progress", args=[item.enrolment.playlist_id]),
        )


STEP_EVIDENCE = StepEvidence()


def review_evidence(
    *,
    progress: StepProgress,
    territory: Territory,
    reviewer: User,
    decision: str,
    comment: str = "",
) -> StepProgress:
    """Approve, ask to improve (with a comment), or reject submitted evidence."""
    return review(
        adapter=STEP_EVIDENCE,
        item=progress,
        territory=territory,
        reviewer=reviewer,
        decision=decision,
        comment=comment,
    )


def _states(enrolment: Enrolment, playlist: Playlist) -> dict[int, str]:
    return rules.step_states(
        _steps(playlist), _progress_map(enrolment), is_ordered=playlist.is_ordered
    )


def _notify_unlocked(
    enrolment: Enrolment, playlist: Playlist, territory: Territory, before: dict[int, str]
) -> None:
    """Tell the learner when a step that was locked opens (ordered playlists only; in a
    personal playlist the learner opened it themselves)."""
    if not playlist.is_ordered or playlist.is_personal:
        return
    after = _states(enrolment, playlist)
    opened = [
        step
        for step in _steps(playlist)
        if before.get(step.pk) == rules.LOCKED and after.get(step.pk) != rules.LOCKED
    ]
    if not opened:
        return
    notifications.notify(
        user=enrolment.user,
        kind=kinds.STEP_UNLOCKED,
        territory=territory,
        params={"playlist": playlist.title, "step": opened[0].display_title},
        path=reverse("playlists:progress", args=[playlist.pk]),
    )


@transaction.atomic
def check_in(
    *, step: Step, territory: Territory, acting_user: User, user_ids: Sequence[int]
) -> int:
    """The organiser marks attendees of a step as done. Only learners who joined the
    playlist can be checked in; returns how many were newly checked in."""
    if step.completion != Step.Completion.CHECK_IN:
        raise ValidationError(_("This step is completed with evidence, not by check-in."))
    playlist = step.playlist
    enrolments = list(
        Enrolment.objects.select_for_update().filter(
            playlist=playlist, user_id__in=list(user_ids), left_at__isnull=True
        )
    )
    now = timezone.now()
    count = 0
    for enrolment in enrolments:
        progress, _created = StepProgress.objects.get_or_create(
            enrolment=enrolment, step=step, defaults={"playlist": playlist}
        )
        if progress.state == State.APPROVED:
            continue
        before = _states(enrolment, playlist) if playlist.is_ordered else {}
        progress.state = State.APPROVED
        progress.checked_in_by = acting_user
        progress.reviewed_at = now
        progress.save()
        count += 1
        _notify_unlocked(enrolment, playlist, territory, before)
        _check_completion(enrolment, playlist, territory)
    if count:
        record(
            actor=acting_user,
            action=AuditEvent.PLAYLIST_CHECKED_IN,
            territory=territory,
            target=step,
            details={"playlist": playlist.pk, "count": count},
        )
    return count


def _check_completion(enrolment: Enrolment, playlist: Playlist, territory: Territory) -> None:
    """Mark the enrolment completed once the rules say so, and report it to the
    badges app after this transaction commits (a rollback awards nothing)."""
    if enrolment.completed_at is not None:
        return
    if not rules.is_complete(_steps(playlist), _progress_map(enrolment), playlist.min_optional):
        return
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    if playlist.is_personal:
        return

    event = PlaylistCompleted(
        playlist_id=playlist.pk,
        playlist_title=playlist.title,
        playlist_url=f"{territory.url.rstrip('/')}{playlist.get_absolute_url()}",
        user_id=enrolment.user_id,
        completed_at=enrolment.completed_at,
        badge_class_id=playlist.badge_class_id,
    )
    schema = territory.schema_name

    def award() -> None:
        with schema_context(schema):
            award_for_playlist_completion(territory=territory, event=event)

    transaction.on_commit(award)
