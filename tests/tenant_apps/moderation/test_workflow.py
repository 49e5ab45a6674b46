"""The moderation transition table and its engine (tenant_apps.moderation.workflow),
run on the real moderated models: every allowed transition, illegal ones writing
nothing, one audit entry each, hooks after commit only, territories kept apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.events import AuditEvent
from shared_apps.audit.models import AuditEntry
from shared_apps.core.db import tenant_connection
from tenant_apps.catalogue import actions as catalogue
from tenant_apps.catalogue.actions.workflow import ACTIVITY_WORKFLOW
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.moderation.workflow import (
    TRANSITIONS,
    Actor,
    Attempt,
    Event,
    ModerationStatus,
    On,
    TransitionError,
    Workflow,
    table,
    transition,
)
from tenant_apps.playlists import actions as playlists
from tenant_apps.playlists.models import Playlist
from tenants.models import Territory
from tests.tenant_apps.catalogue.factories import make_activity
from tests.tenant_apps.playlists.factories import make_playlist

S = ModerationStatus
UserOf = Callable[[str], User]
pytestmark = pytest.mark.django_db


def _at(territory: Territory, playlist: Playlist, status: str) -> Playlist:
    with tenant_context(territory):
        Playlist.objects.filter(pk=playlist.pk).update(status=status, return_reason="")
        return Playlist.objects.select_related("provider").get(pk=playlist.pk)


def _audits(playlist: Playlist) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            target_type="playlists.playlist", target_id=str(playlist.pk)
        ).order_by("pk")
    )


@pytest.mark.parametrize(
    ("source", "event"), sorted(playlists.WORKFLOW.table), ids=lambda v: str(v)
)
def test_every_allowed_playlist_transition(territory_a, user, provider_a, source, event):
    rule = playlists.WORKFLOW.table[(source, event)]
    playlist = make_playlist(territory_a, user("anna"), provider=provider_a, publish=False)
    playlist = _at(territory_a, playlist, source)
    before = len(_audits(playlist))
    # A curator's event is made by the provider's staff, a reviewer's by the admin
    # (publishing at once needs the admin: this provider is not trusted).
    reviewer = rule.actor == Actor.REVIEWER or event == Event.PUBLISH
    acting = user("anna") if reviewer else user("alan")
    with tenant_context(territory_a):
        done = transition(
            playlists.WORKFLOW,
            playlist,
            event,
            territory=territory_a,
            acting_user=acting,
            reason="Needs a clearer title",
        )
        stored = Playlist.objects.get(pk=playlist.pk)
    assert done.status == stored.status == rule.target
    entries = _audits(playlist)
    assert len(entries) == before + 1
    assert entries[-1].action == rule.audit
    assert entries[-1].actor_id == acting.pk
    assert entries[-1].details["previous"] == source
    assert entries[-1].details["status"] == rule.target
    if rule.target == S.SUBMITTED:
        assert stored.submitted_at is not None
    if rule.target == S.PUBLISHED:
        assert stored.published_at is not None


@pytest.mark.parametrize(
    ("source", "event", "message"),
    [
        (S.DRAFT, Event.APPROVE, "Only playlists waiting for review can be approved."),
        (S.DRAFT, Event.RETURN, "Only submitted or published playlists can be returned."),
        (S.ARCHIVED, Event.RETURN, "Only submitted or published playlists can be returned."),
        (S.PUBLISHED, Event.SUBMIT, "Only drafts can be sent for review."),
        (S.SUBMITTED, Event.PUBLISH, "Only drafts can be sent for review."),
        (S.PUBLISHED, Event.WITHDRAW, "This change is not possible now."),
    ],
)
def test_illegal_transitions_are_refused_and_write_nothing(
    territory_a, user, provider_a, source, event, message
):
    assert (source, event) not in playlists.WORKFLOW.table
    playlist = _at(territory_a, make_playlist(territory_a, user("anna"), publish=False), source)
    before = _audits(playlist)
    with tenant_context(territory_a), pytest.raises(TransitionError) as refused:
        transition(
            playlists.WORKFLOW, playlist, event, territory=territory_a, acting_user=user("anna")
        )
    assert refused.value.messages == [message]
    with tenant_context(territory_a):
        assert Playlist.objects.get(pk=playlist.pk).status == source
    assert _audits(playlist) == before


def test_the_provider_staff_cannot_review(territory_a, user, provider_a):
    playlist = make_playlist(territory_a, user("alan"), provider=provider_a, publish=False)
    with tenant_context(territory_a):
        playlists.submit_playlist(
            playlist=playlist, territory=territory_a, acting_user=user("alan"), is_admin=False
        )
        assert playlist.status == S.SUBMITTED
        with pytest.raises(TransitionError, match="You may not do this here"):
            playlists.approve_playlist(
                playlist=playlist, territory=territory_a, acting_user=user("alan")
            )
        with pytest.raises(TransitionError, match="You may not do this here"):
            # Archiving is the curators' (staff or admin); a learner is neither.
            playlists.archive_playlist(
                playlist=playlist, territory=territory_a, acting_user=user("ada")
            )
        assert Playlist.objects.get(pk=playlist.pk).status == S.SUBMITTED


def test_a_provider_of_one_territory_cannot_moderate_in_another(
    territory_a, territory_b, user, provider_b
):
    playlist = make_playlist(territory_b, user("boris"), provider=provider_b, publish=False)
    with tenant_context(territory_b):
        playlists.submit_playlist(
            playlist=playlist, territory=territory_b, acting_user=user("boris"), is_admin=False
        )
        # aurora's provider staff and aurora's admin hold no role in borealis.
        for outsider in (user("alan"), user("anna")):
            with pytest.raises(TransitionError, match="You may not do this here"):
                playlists.approve_playlist(
                    playlist=playlist, territory=territory_b, acting_user=outsider
                )
            with pytest.raises(TransitionError, match="You may not do this here"):
                playlists.archive_playlist(
                    playlist=playlist, territory=territory_b, acting_user=outsider
                )
        assert Playlist.objects.get(pk=playlist.pk).status == S.SUBMITTED
    # Nor with aurora as the acting territory: the row is not in aurora's schema.
    with tenant_context(territory_a), pytest.raises(TransitionError, match="another territory"):
        playlists.approve_playlist(
            playlist=playlist, territory=territory_b, acting_user=user("anna")
        )
    assert not AuditEntry.objects.filter(
        target_type="playlists.playlist", target_id=str(playlist.pk), action="playlist.published"
    ).exists()


def test_effects_run_in_the_transaction_and_hooks_only_after_commit(
    territory_a, user, provider_a, django_capture_on_commit_callbacks
):
    seen: list[tuple[str, str, str]] = []

    def effect(attempt: Attempt[Playlist]) -> None:
        seen.append(("effect", attempt.obj.status, tenant_connection().schema_name))

    def hook(attempt: Attempt[Playlist]) -> None:
        seen.append(("hook", attempt.obj.status, tenant_connection().schema_name))

    workflow = Workflow[Playlist](
        name="test",
        model=Playlist,
        table=table(
            {
                Event.SUBMIT: On(
                    AuditEvent.PLAYLIST_SUBMITTED, effects=(effect,), after_commit=(hook,)
                )
            }
        ),
        refusals={},
        is_curator=lambda playlist, user: False,
    )
    playlist = make_playlist(territory_a, user("anna"), publish=False)
    with tenant_context(territory_a):
        # Rolled back: the effect ran inside, the hook never runs.
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            transition(
                workflow,
                playlist,
                Event.SUBMIT,
                territory=territory_a,
                acting_user=user("anna"),
            )
            raise RuntimeError("rolled back")
        assert callbacks == []
        assert seen == [("effect", S.SUBMITTED, territory_a.schema_name)]
        assert Playlist.objects.get(pk=playlist.pk).status == S.DRAFT
        seen.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            transition(
                workflow, playlist, Event.SUBMIT, territory=territory_a, acting_user=user("anna")
            )
        assert seen == [("effect", S.SUBMITTED, territory_a.schema_name)]
        assert len(callbacks) == 1
    # Committed: the hook runs in the territory's schema even if the connection has
    # moved on (as in a request that ends in the public schema).
    callbacks[0]()
    assert seen[-1] == ("hook", S.SUBMITTED, territory_a.schema_name)
    # One entry: the rolled-back attempt left none.
    assert [e.action for e in _audits(playlist)].count(AuditEvent.PLAYLIST_SUBMITTED) == 1


def test_archiving_twice_does_nothing_the_second_time(territory_a, user, provider_a):
    playlist = make_playlist(territory_a, user("anna"), provider=provider_a)
    with tenant_context(territory_a):
        playlists.archive_playlist(
            playlist=playlist, territory=territory_a, acting_user=user("alan")
        )
        playlists.archive_playlist(
            playlist=playlist, territory=territory_a, acting_user=user("alan")
        )
        assert Playlist.objects.get(pk=playlist.pk).status == S.ARCHIVED
    assert [e.action for e in _audits(playlist)].count("playlist.archived") == 1


def test_activities_and_playlists_use_the_one_transition_table():
    for workflow in (ACTIVITY_WORKFLOW, playlists.WORKFLOW):
        for key, rule in workflow.table.items():
            assert (rule.target, rule.actor) == TRANSITIONS[key]
    assert set(ACTIVITY_WORKFLOW.table) == set(TRANSITIONS)
    # Playlists have no withdrawing, and only that is missing.
    assert set(TRANSITIONS) - set(playlists.WORKFLOW.table) == {(S.SUBMITTED, Event.WITHDRAW)}


def test_the_models_share_one_status(territory_a):
    assert Activity.Status is Playlist.Status is ModerationStatus
    assert Provider.Status is not ModerationStatus


@pytest.mark.parametrize(("source", "event"), sorted(ACTIVITY_WORKFLOW.table), ids=lambda v: str(v))
def test_every_allowed_activity_transition(territory_a, user, provider_a, venue_a, source, event):
    rule = ACTIVITY_WORKFLOW.table[(source, event)]
    activity = make_activity(territory_a, provider_a, venue=venue_a, status=source)
    with tenant_context(territory_a):
        if event == Event.PUBLISH:
            # Publishing at once is for trusted providers only.
            Provider.objects.filter(pk=provider_a.pk).update(trusted=True)
            activity = Activity.objects.select_related("provider").get(pk=activity.pk)
        acting = user("anna") if rule.actor == Actor.REVIEWER else user("alan")
        before = AuditEntry.objects.filter(target_id=str(activity.pk)).count()
        done = transition(
            ACTIVITY_WORKFLOW,
            activity,
            event,
            territory=territory_a,
            acting_user=acting,
            reason="The dates are wrong",
        )
        stored = Activity.objects.get(pk=activity.pk)
    assert done.status == stored.status == rule.target
    # Only a published activity (of a verified provider) is public.
    assert stored.is_public == (rule.target == S.PUBLISHED)
    entries = AuditEntry.objects.filter(
        target_type="catalogue.activity", target_id=str(activity.pk)
    ).order_by("pk")
    assert entries.count() == before + 1
    last = entries.last()
    assert last is not None and last.action == rule.audit and last.actor_id == acting.pk
    assert last.details["previous"] == source


def test_an_untrusted_provider_cannot_publish_at_once(territory_a, user, provider_a, venue_a):
    activity = make_activity(territory_a, provider_a, venue=venue_a, status=S.DRAFT)
    with tenant_context(territory_a), pytest.raises(TransitionError, match="not do this here"):
        transition(
            ACTIVITY_WORKFLOW,
            activity,
            Event.PUBLISH,
            territory=territory_a,
            acting_user=user("alan"),
        )
    with tenant_context(territory_a):
        assert Activity.objects.get(pk=activity.pk).status == S.DRAFT
        # Through the action the same provider sends it for review instead.
        catalogue.submit_activity(
            activity=activity, territory=territory_a, acting_user=user("alan")
        )
        assert Activity.objects.get(pk=activity.pk).status == S.SUBMITTED


def test_provider_staff_of_aurora_cannot_moderate_borealis_activities(
    territory_a, territory_b, user, provider_b
):
    activity = make_activity(territory_b, provider_b, status=S.SUBMITTED)
    with tenant_context(territory_b):
        for outsider in (user("alan"), user("anna")):
            for action in (catalogue.approve_activity, catalogue.withdraw_activity):
                with pytest.raises(TransitionError, match="not do this here"):
                    action(activity=activity, territory=territory_b, acting_user=outsider)
        assert Activity.objects.get(pk=activity.pk).status == S.SUBMITTED
        # borealis' own admin may.
        catalogue.approve_activity(
            activity=activity, territory=territory_b, acting_user=user("bruno")
        )
        assert Activity.objects.get(pk=activity.pk).status == S.PUBLISHED
