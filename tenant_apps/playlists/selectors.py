"""Reads of playlists. Public reads see only published playlists (of verified
providers or of the territory); organisers' reads are scoped to the playlists they
curate; a learner's progress and evidence are read for that learner only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shared_apps.accounts.models import Membership, User
from shared_apps.guardians.selectors import is_restricted
from shared_apps.netsearch.selectors import online_activities
from tenant_apps.catalogue.models import Provider
from tenant_apps.evidence.selectors import review_queue as evidence_queue
from tenant_apps.playlists import rules
from tenant_apps.playlists.models import Enrolment, Playlist, Step, StepProgress

_PUBLIC = Q(status=Playlist.Status.PUBLISHED) & (
    Q(curator=Playlist.Curator.TERRITORY)
    | Q(curator=Playlist.Curator.PROVIDER, provider__status=Provider.Status.VERIFIED)
)


def public_playlists(interest: str = "") -> QuerySet[Playlist]:
    queryset = Playlist.objects.filter(_PUBLIC)
    if interest:
        queryset = queryset.filter(interests__slug=interest)
    return queryset.order_by("-published_at", "-id")


def playlist_for_viewer(pk: int, user: Any) -> Playlist | None:
    """A published playlist, or a personal one to its owner; None for anyone else."""
    visible = _PUBLIC
    if getattr(user, "is_authenticated", False):
        visible = visible | Q(curator=Playlist.Curator.LEARNER, owner_id=user.pk)
    return Playlist.objects.filter(visible, pk=pk).select_related("provider", "badge_class").first()


def shared_playlist(token: str) -> Playlist | None:
    """A personal playlist its owner shares by link; none while the owner's account is
    restricted (a minor whose guardian has not consented, or has withdrawn consent:
    links given out before stop working at once)."""

    if not token:
        return None
    playlist = Playlist.objects.filter(share_token=token, curator=Playlist.Curator.LEARNER).first()
    if playlist is None or is_restricted(playlist.owner_id):
        return None
    return playlist


def steps_of(playlist: Playlist) -> list[Step]:
    """The steps in order; a step in another city carries ``remote`` (its entry in the
    network index, None while that activity is not public) from one more query, made
    only when the playlist has such steps."""

    steps = list(
        playlist.steps.select_related("activity__venue", "activity__provider").order_by("position")
    )
    remote = [s for s in steps if s.kind == Step.Kind.REMOTE and s.remote_activity_id]
    found = online_activities((s.remote_territory, s.remote_activity_id or 0) for s in remote)
    for step in remote:
        step.remote = found.get((step.remote_territory, step.remote_activity_id or 0))
    return steps


def enrolment_of(playlist: Playlist, user: Any) -> Enrolment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(playlist=playlist, user_id=user.pk).first()


@dataclass(frozen=True)
class StepView:
    step: Step
    state: str
    progress: StepProgress | None


def progress_view(
    playlist: Playlist, steps: list[Step], enrolment: Enrolment | None
) -> list[StepView]:
    """Each step with the learner's display state (one query for the progress)."""
    progress: dict[int, StepProgress] = {}
    if enrolment is not None:
        progress = {
            p.step_id: p
            for p in StepProgress.objects.filter(enrolment=enrolment).defer("evidence_text")
        }
    states = rules.step_states(
        steps, {k: p.state for k, p in progress.items()}, is_ordered=playlist.is_ordered
    )
    return [StepView(s, states[s.pk], progress.get(s.pk)) for s in steps]


def my_playlists(user: User) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(user_id=user.pk, left_at__isnull=True)
        .select_related("playlist")
        .order_by("-joined_at")
    )


def personal_playlists(user: User) -> list[Playlist]:
    return list(Playlist.objects.filter(owner_id=user.pk).order_by("-updated_at"))


def playlists_of_activity(activity_id: int) -> list[Playlist]:
    ids = Step.objects.filter(activity_id=activity_id).values("playlist_id")
    return list(public_playlists().filter(pk__in=ids).only("id", "title", "translations")[:10])


# ---------------------------------------------------------------------------
# Organisers: the territory admin (every playlist but personal ones), or the staff
# of the curating provider.
# ---------------------------------------------------------------------------


def managed_playlists(user: User, membership: Membership | None) -> QuerySet[Playlist]:
    if membership is None:
        return Playlist.objects.none()
    queryset = Playlist.objects.exclude(curator=Playlist.Curator.LEARNER)
    if not membership.is_admin:
        queryset = queryset.filter(provider__staff__user_id=user.pk)
    return queryset


def managed_playlist(pk: int, user: User, membership: Membership | None) -> Playlist | None:
    return managed_playlists(user, membership).filter(pk=pk).select_related("provider").first()


def review_queue(
    user: User, membership: Membership | None, *, playlist_id: int | None, state: str
) -> QuerySet[StepProgress]:
    """Ids of the evidence of the playlists this account reviews, oldest waiting
    first: counted and paged on this table's indexes alone (see ``queue_items``)."""
    queryset = StepProgress.objects.filter(
        playlist__in=managed_playlists(user, membership).values("pk"),
        state=state or StepProgress.State.SUBMITTED,
        submitted_at__isnull=False,
    )
    if playlist_id:
        queryset = queryset.filter(playlist_id=playlist_id)
    # The shared queue shape: oldest first, never the reviewer's own evidence.
    return evidence_queue(
        queryset,
        reviewer_id=user.pk,
        learner_field="enrolment__user_id",
        submitted_field="submitted_at",
    )


def queue_items(ids: list[int]) -> list[StepProgress]:
    """One page of the review queue, with what the page shows, in queue order."""
    rows = (
        StepProgress.objects.filter(pk__in=ids)
        .select_related("step", "playlist", "enrolment__user")
        .order_by("submitted_at", "id")
    )
    return list(rows)


def reviewable_progress(pk: int, user: User, membership: Membership | None) -> StepProgress | None:
    return (
        StepProgress.objects.filter(
            pk=pk, playlist__in=managed_playlists(user, membership).values("pk")
        )
        .select_related("step", "playlist", "enrolment__user")
        .first()
    )


def attendees(step: Step) -> QuerySet[Enrolment]:
    """Learners in the playlist, with whether they are checked in for this step."""
    return (
        Enrolment.objects.filter(playlist_id=step.playlist_id, left_at__isnull=True)
        .select_related("user")
        .annotate(
            # EXISTS, not a grouped count: the page's LIMIT applies before the lookup.
            done=Exists(
                StepProgress.objects.filter(
                    enrolment=OuterRef("pk"), step=step, state=StepProgress.State.APPROVED
                )
            )
        )
        .order_by("joined_at", "id")
    )


@dataclass(frozen=True)
class StepFigure:
    step: Step
    done: int
    drop_off: int


@dataclass(frozen=True)
class Figures:
    joined: int
    in_progress: int
    completed: int
    left: int
    steps: list[StepFigure]


def figures(playlist: Playlist) -> Figures:
    """Counts in two aggregate queries whatever the number of learners. Drop-off at a
    step: how many did the step before but not this one."""
    totals = Enrolment.objects.filter(playlist=playlist).aggregate(
        joined=Count("id"),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        left=Count("id", filter=Q(left_at__isnull=False, completed_at__isnull=True)),
    )
    done = dict(
        StepProgress.objects.filter(step__playlist=playlist, state=StepProgress.State.APPROVED)
        .values_list("step_id")
        .annotate(n=Count("id"))
        .values_list("step_id", "n")
    )
    rows = []
    previous = totals["joined"]
    for step in playlist.steps.order_by("position"):
        count = done.get(step.pk, 0)
        rows.append(StepFigure(step, count, max(previous - count, 0)))
        previous = count
    return Figures(
        joined=totals["joined"],
        in_progress=totals["joined"] - totals["completed"] - totals["left"],
        completed=totals["completed"],
        left=totals["left"],
        steps=rows,
    )


def evidence_for_viewer(pk: int, user: User, membership: Membership | None) -> StepProgress | None:
    """Evidence of one step: to its learner, or to a reviewer of its playlist."""
    progress = StepProgress.objects.filter(pk=pk).select_related("enrolment").first()
    if progress is None:
        return None
    if progress.enrolment.user_id == user.pk:
        return progress
    if managed_playlists(user, membership).filter(pk=progress.playlist_id).exists():
        return progress
    return None


@dataclass(frozen=True)
class FollowedPlaylist:
    title: str
    path: str
    steps_done: int
    steps_total: int
    completed: bool


def followed_by(user_id: int) -> list[FollowedPlaylist]:
    """The playlists an account follows in this territory, with how far it got: one
    query (the learner passport on the network site asks each of their territories)."""
    done = (
        StepProgress.objects.filter(enrolment=OuterRef("pk"), state=StepProgress.State.APPROVED)
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = (
        Step.objects.filter(playlist=OuterRef("playlist"))
        .values("playlist")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Enrolment.objects.filter(user_id=user_id, left_at__isnull=True)
        .annotate(
            steps_done=Coalesce(Subquery(done), 0),
            steps_total=Coalesce(Subquery(total), 0),
        )
        .select_related("playlist")
        .order_by("completed_at", "-joined_at")
    )
    return [
        FollowedPlaylist(
            title=row.playlist.title,
            path=row.playlist.get_absolute_url(),
            steps_done=row.steps_done,
            steps_total=row.steps_total,
            completed=row.completed_at is not None,
        )
        for row in rows
    ]
