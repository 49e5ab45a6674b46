"""What the playlists of one territory hold about an account, for the data-rights
registry (shared_apps.accounts.data_rights): runs in every territory's schema."""

from __future__ import annotations

from typing import Any

from shared_apps.accounts import data_rights
from tenant_apps.playlists.models import Enrolment, Playlist, StepProgress


def export_playlists(user: Any) -> dict[str, Any] | None:
    enrolments = list(
        Enrolment.objects.filter(user_id=user.pk).select_related("playlist").order_by("joined_at")
    )
    progress = list(
        StepProgress.objects.filter(enrolment__user_id=user.pk)
        .select_related("step", "playlist")
        .order_by("playlist_id", "step__position")
    )
    personal = list(Playlist.objects.filter(owner_id=user.pk).values_list("title", "share_token"))
    if not (enrolments or progress or personal):
        return None
    return {
        "followed": [
            {
                "playlist": e.playlist.title,
                "joined_at": e.joined_at.isoformat(),
                "left_at": e.left_at.isoformat() if e.left_at else None,
                "completed_at": e.completed_at.isoformat() if e.completed_at else None,
            }
            for e in enrolments
        ],
        "steps": [
            {
                "playlist": p.playlist.title,
                "step": p.step.position,
                "state": p.state,
                "evidence_text": p.evidence_text,
                "evidence_url": p.evidence_url,
                "evidence_file": p.evidence_file.name.rsplit("/", 1)[-1] if p.evidence_file else "",
                "reviewer_comment": p.reviewer_comment,
                "submitted_at": p.submitted_at.isoformat() if p.submitted_at else None,
            }
            for p in progress
        ],
        "personal_playlists": [
            {"title": title, "shared_by_link": bool(token)} for title, token in personal
        ],
    }


def erase_playlists(user: Any) -> None:
    # Evidence files first: deleting the rows would orphan them in (private) storage.
    for progress in StepProgress.objects.filter(enrolment__user_id=user.pk).exclude(
        evidence_file=""
    ):
        progress.evidence_file.delete(save=False)
    Enrolment.objects.filter(user_id=user.pk).delete()  # cascades to the progress rows
    Playlist.objects.filter(curator=Playlist.Curator.LEARNER, owner_id=user.pk).delete()
    # As a reviewer or organiser: the decisions stay (learners' progress depends on
    # them), who took them does not.
    StepProgress.objects.filter(reviewed_by=user.pk).update(reviewed_by=None)
    StepProgress.objects.filter(checked_in_by=user.pk).update(checked_in_by=None)


def register() -> None:
    data_rights.register(
        "playlists",
        scope=data_rights.TERRITORY,
        exporter=export_playlists,
        eraser=erase_playlists,
    )
