"""Playlist test data, made through the app's own actions, in a territory's schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership, User
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.playlists import actions
from tenant_apps.playlists.models import Enrolment, Playlist, Step
from tenants.models import Territory


def make_playlist(
    territory: Territory,
    acting_user: User,
    title: str = "Become a young journalist",
    *,
    provider: Provider | None = None,
    steps: Iterable[dict[str, Any]] = (),
    publish: bool = True,
    personal: bool = False,
    **data: Any,
) -> Playlist:
    """A playlist with the given steps (default: two required challenges), published
    by the territory admin's path unless ``publish`` is False."""
    with tenant_context(territory):
        playlist = actions.create_playlist(
            territory=territory,
            acting_user=acting_user,
            data=actions.PlaylistData(title=title, **data),
            provider=provider,
            personal=personal,
        )
        for step in list(steps) or [
            {"kind": Step.Kind.CHALLENGE, "title": "Interview a neighbour"},
            {"kind": Step.Kind.CHALLENGE, "title": "Write the article"},
        ]:
            actions.add_step(playlist=playlist, **step)
        if publish and not personal:
            # The admin's path: only the territory admin (or a trusted provider)
            # publishes without review, whoever curated the playlist.
            admin = User.objects.filter(
                memberships__territory=territory,
                memberships__role=Membership.Role.TERRITORY_ADMIN,
            ).order_by("pk")[0]
            actions.submit_playlist(
                playlist=playlist, territory=territory, acting_user=admin, is_admin=True
            )
        playlist.refresh_from_db()
    return playlist


def challenge(title: str, **fields: Any) -> dict[str, Any]:
    return {"kind": Step.Kind.CHALLENGE, "title": title, **fields}


def activity_step(activity: Activity, **fields: Any) -> dict[str, Any]:
    return {"kind": Step.Kind.ACTIVITY, "activity": activity, **fields}


def join(territory: Territory, playlist: Playlist, user: User) -> Enrolment:
    with tenant_context(territory):
        return actions.join_playlist(playlist=playlist, territory=territory, user=user)


def steps_of(territory: Territory, playlist: Playlist) -> list[Step]:
    with tenant_context(territory):
        return list(playlist.steps.order_by("position"))
