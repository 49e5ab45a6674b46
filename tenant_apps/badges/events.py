"""Awarding badges for things that happen elsewhere on the platform.

Other apps report an event; rules registered here decide which badge it earns. The
playlists app (when it exists) calls ``award_for_playlist_completion`` once a learner
completes a playlist, after its own transaction commits, with the playlist's completion
badge. Rules are looked up by event kind, so a new kind of event (an activity attended,
a check-in scanned) is a new rule, not a change to the award paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from shared_apps.accounts.models import User
from tenant_apps.badges import actions
from tenant_apps.badges.models import Award, BadgeClass
from tenants.models import Territory


@dataclass(frozen=True)
class PlaylistCompleted:
    """A learner completed a playlist of this territory."""

    playlist_id: int
    playlist_title: str
    playlist_url: str
    user_id: int
    completed_at: datetime
    # The playlist's completion badge (a BadgeClass of this territory), if it has one.
    badge_class_id: int | None


Rule = Callable[[Territory, PlaylistCompleted], BadgeClass | None]
_rules: dict[str, list[Rule]] = {}


def register_rule(kind: str, rule: Rule) -> None:
    _rules.setdefault(kind, []).append(rule)


def _completion_badge(territory: Territory, event: PlaylistCompleted) -> BadgeClass | None:
    if event.badge_class_id is None:
        return None
    return BadgeClass.objects.filter(pk=event.badge_class_id, is_archived=False).first()


register_rule("playlist.completed", _completion_badge)


@transaction.atomic
def award_for_playlist_completion(*, territory: Territory, event: PlaylistCompleted) -> list[Award]:
    """Award the badges the completion earns; idempotent (a repeated event awards
    nothing new). Returns the awards made now."""
    user = User.objects.filter(pk=event.user_id, is_active=True).first()
    if user is None:
        return []
    made: list[Award] = []
    for rule in _rules.get("playlist.completed", []):
        badge = rule(territory, event)
        if badge is None or actions.holds(badge, user.email):
            continue
        made += actions.award_many(
            territory=territory,
            badge_class=badge,
            recipients=[actions.recipient_for_user(user)],
            source=Award.Source.PLAYLIST,
            evidence_url=event.playlist_url,
            evidence_narrative=f"Completed the playlist “{event.playlist_title}”.",
            issued_on=event.completed_at,
        )
    return made
