"""The shared review path (``tenant_apps.evidence.review``), exercised through the
playlists' adapter on real rows: its refusals write nothing, and the feature's
after-commit hook runs only once the decision is committed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.notifications.models import Notification
from tenant_apps.evidence.review import review
from tenant_apps.playlists import actions
from tenant_apps.playlists.models import StepProgress
from tenants.models import Territory
from tests.tenant_apps.playlists.factories import join, make_playlist, steps_of

UserOf = Callable[[str], User]


class Recorded(actions.StepEvidence):
    """The playlists' adapter, noting when its after-commit hook runs."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []

    def after_commit(self, item_id: int, decision: str, territory: Territory) -> None:
        self.calls.append((item_id, decision))


def _submitted(territory: Territory, organiser: User, learner: User) -> StepProgress:
    playlist = make_playlist(territory, organiser)
    join(territory, playlist, learner)
    first = steps_of(territory, playlist)[0]
    with tenant_context(territory):
        return actions.submit_evidence(
            playlist=playlist, step=first, territory=territory, user=learner, text="I did it"
        )


def _decide(
    adapter: actions.StepEvidence,
    progress: StepProgress,
    territory: Territory,
    reviewer: User,
    decision: str = "approve",
    comment: str = "",
) -> StepProgress:
    return review(
        adapter=adapter,
        item=progress,
        territory=territory,
        reviewer=reviewer,
        decision=decision,
        comment=comment,
    )


def _nothing_written(territory: Territory, progress: StepProgress) -> None:
    with tenant_context(territory):
        progress.refresh_from_db()
        learner_id = progress.enrolment.user_id
    assert progress.state == StepProgress.State.SUBMITTED
    assert progress.reviewed_by_id is None and progress.reviewer_comment == ""
    assert not AuditEntry.objects.filter(action__startswith="playlist.evidence.").exists()
    assert not Notification.objects.filter(user_id=learner_id).exists()


def test_a_reviewer_of_another_territory_is_refused_and_nothing_is_written(
    territory_a: Territory, territory_b: Territory, user: UserOf
) -> None:
    progress = _submitted(territory_a, user("anna"), user("ada"))
    adapter = Recorded()
    with tenant_context(territory_a):
        # Bruno administers borealis, not aurora.
        with pytest.raises(PermissionDenied):
            _decide(adapter, progress, territory_a, user("bruno"))
        # Nor may aurora's rows be decided in the name of another territory.
        with pytest.raises(PermissionDenied):
            _decide(adapter, progress, territory_b, user("bruno"))
    _nothing_written(territory_a, progress)
    assert adapter.calls == []


def test_a_learner_cannot_review_their_own_evidence(territory_a: Territory, user: UserOf) -> None:
    # Anna is the territory's admin (she reviews this playlist) and follows it herself.
    progress = _submitted(territory_a, user("anna"), user("anna"))
    with tenant_context(territory_a), pytest.raises(PermissionDenied):
        _decide(actions.STEP_EVIDENCE, progress, territory_a, user("anna"))
    _nothing_written(territory_a, progress)


@pytest.mark.parametrize("decision", ["improve", "reject"])
def test_feedback_is_required_to_ask_for_improvement_or_to_reject(
    territory_a: Territory, user: UserOf, decision: str
) -> None:
    progress = _submitted(territory_a, user("anna"), user("ada"))
    with tenant_context(territory_a), pytest.raises(ValidationError) as refused:
        _decide(actions.STEP_EVIDENCE, progress, territory_a, user("anna"), decision, "   ")
    assert refused.value.message_dict == {"comment": ["Say what to improve, or why."]}
    _nothing_written(territory_a, progress)


def test_the_after_commit_hook_runs_only_after_commit(
    territory_a: Territory, user: UserOf, django_capture_on_commit_callbacks: Any
) -> None:
    progress = _submitted(territory_a, user("anna"), user("ada"))
    adapter = Recorded()
    with tenant_context(territory_a):
        with django_capture_on_commit_callbacks(execute=False) as pending:
            reviewed = _decide(adapter, progress, territory_a, user("anna"))
            # Decided and recorded, but not committed yet: the hook has not run.
            assert reviewed.state == StepProgress.State.APPROVED
            assert AuditEntry.objects.filter(action="playlist.evidence.approve").count() == 1
            assert adapter.calls == []
        assert adapter.calls == []
        for callback in pending:
            callback()
    assert adapter.calls == [(progress.pk, "approve")]


def test_a_refused_decision_registers_no_hook(
    territory_a: Territory, user: UserOf, django_capture_on_commit_callbacks: Any
) -> None:
    progress = _submitted(territory_a, user("anna"), user("ada"))
    adapter = Recorded()
    with tenant_context(territory_a), django_capture_on_commit_callbacks(execute=True):
        _decide(adapter, progress, territory_a, user("anna"))
        with pytest.raises(ValidationError, match="already reviewed"):
            _decide(adapter, progress, territory_a, user("anna"), "reject", "no")
    assert adapter.calls == [(progress.pk, "approve")]
