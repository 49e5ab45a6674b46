"""The completion rules, enforced by the actions: order, N of M, review, badge."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from tenant_apps.badges.models import Award
from tenant_apps.playlists import actions
from tenant_apps.playlists.models import Enrolment, StepProgress
from tests.tenant_apps.badges.factories import make_badge
from tests.tenant_apps.playlists.factories import challenge, join, make_playlist, steps_of


def _submit(territory, playlist, step, user, text="I did it"):
    with tenant_context(territory):
        return actions.submit_evidence(
            playlist=playlist, step=step, territory=territory, user=user, text=text
        )


def _review(territory, progress, reviewer, decision="approve", comment=""):
    with tenant_context(territory):
        return actions.review_evidence(
            progress=progress,
            territory=territory,
            reviewer=reviewer,
            decision=decision,
            comment=comment,
        )


def test_ordered_playlist_refuses_a_locked_step(territory_a, user):
    playlist = make_playlist(territory_a, user("anna"), is_ordered=True)
    first, second = steps_of(territory_a, playlist)
    join(territory_a, playlist, user("ada"))
    with pytest.raises(ValidationError, match="opens when the steps before it are done"):
        _submit(territory_a, playlist, second, user("ada"))
    progress = _submit(territory_a, playlist, first, user("ada"))
    # Waiting for review is not done: the second step stays locked.
    with pytest.raises(ValidationError, match="opens when"):
        _submit(territory_a, playlist, second, user("ada"))
    _review(territory_a, progress, user("anna"))
    assert _submit(territory_a, playlist, second, user("ada")).state == "submitted"


def test_optional_steps_do_not_lock_an_ordered_playlist(territory_a, user):
    playlist = make_playlist(
        territory_a,
        user("anna"),
        is_ordered=True,
        steps=[challenge("Optional warm-up", is_required=False), challenge("Main task")],
    )
    _warmup, main = steps_of(territory_a, playlist)
    join(territory_a, playlist, user("ada"))
    assert _submit(territory_a, playlist, main, user("ada")).state == "submitted"


def test_free_order_accepts_any_step(territory_a, user):
    playlist = make_playlist(territory_a, user("anna"))
    _first, second = steps_of(territory_a, playlist)
    join(territory_a, playlist, user("ada"))
    assert _submit(territory_a, playlist, second, user("ada")).state == "submitted"


def test_n_of_m_completion_and_badge(territory_a, user, django_capture_on_commit_callbacks):
    with tenant_context(territory_a):
        badge = make_badge(territory_a, "Young journalist")
    playlist = make_playlist(
        territory_a,
        user("anna"),
        badge_class=badge,
        min_optional=2,
        steps=[
            challenge("Required"),
            challenge("Option A", is_required=False),
            challenge("Option B", is_required=False),
            challenge("Option C", is_required=False),
        ],
    )
    required, a, b, _c = steps_of(territory_a, playlist)
    ada, anna = user("ada"), user("anna")
    join(territory_a, playlist, ada)
    with django_capture_on_commit_callbacks(execute=True):
        for step in (required, a):
            _review(territory_a, _submit(territory_a, playlist, step, ada), anna)
    with tenant_context(territory_a):
        enrolment = Enrolment.objects.get(playlist=playlist, user=ada)
        assert enrolment.completed_at is None  # 1 of the 2 optional steps needed
        assert not Award.objects.filter(recipient_user_id=ada.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _review(territory_a, _submit(territory_a, playlist, b, ada), anna)
    with tenant_context(territory_a):
        enrolment.refresh_from_db()
        assert enrolment.completed_at is not None
        award = Award.objects.get(recipient_user_id=ada.pk)
        assert award.badge_class_id == badge.pk
        assert award.source == Award.Source.PLAYLIST


def test_min_optional_above_the_optional_steps_cannot_be_published(territory_a, user):
    playlist = make_playlist(territory_a, user("anna"), min_optional=1, publish=False)
    with tenant_context(territory_a), pytest.raises(ValidationError, match="optional steps"):
        actions.submit_playlist(
            playlist=playlist, territory=territory_a, acting_user=user("anna"), is_admin=True
        )


def test_review_flow_improve_resubmit_reject(territory_a, user):
    playlist = make_playlist(territory_a, user("anna"))
    first, _second = steps_of(territory_a, playlist)
    ada, anna = user("ada"), user("anna")
    join(territory_a, playlist, ada)
    progress = _submit(territory_a, playlist, first, ada)
    with pytest.raises(ValidationError):
        _review(territory_a, progress, anna, "improve")  # a comment is required
    progress = _review(territory_a, progress, anna, "improve", "Add a photo of the interview.")
    assert progress.state == StepProgress.State.NEEDS_IMPROVEMENT
    progress = _submit(territory_a, playlist, first, ada, "Here is more")
    assert progress.state == "submitted" and progress.evidence_text == "Here is more"
    with pytest.raises(ValidationError, match="cannot take new evidence"):
        _submit(territory_a, playlist, first, ada)  # already waiting
    _review(territory_a, progress, anna, "reject", "Not your work.")
    with pytest.raises(ValidationError, match="cannot take new evidence"):
        _submit(territory_a, playlist, first, ada)
    with pytest.raises(ValidationError, match="already reviewed"):
        _review(territory_a, progress, anna)


def test_evidence_needs_a_joined_learner_and_content(territory_a, user):
    playlist = make_playlist(territory_a, user("anna"))
    first, _second = steps_of(territory_a, playlist)
    with pytest.raises(ValidationError, match="Join the playlist first"):
        _submit(territory_a, playlist, first, user("ada"))
    join(territory_a, playlist, user("ada"))
    with pytest.raises(ValidationError):
        _submit(territory_a, playlist, first, user("ada"), text="  ")
    with tenant_context(territory_a):
        actions.leave_playlist(playlist=playlist, user=user("ada"))
    with pytest.raises(ValidationError, match="Join the playlist first"):
        _submit(territory_a, playlist, first, user("ada"))


def test_check_in_completes_a_step(territory_a, user):
    playlist = make_playlist(
        territory_a, user("anna"), steps=[challenge("Attend the workshop", completion="check_in")]
    )
    (step,) = steps_of(territory_a, playlist)
    join(territory_a, playlist, user("ada"))
    with pytest.raises(ValidationError, match="checks you in"):
        _submit(territory_a, playlist, step, user("ada"))
    with tenant_context(territory_a):
        # alan never joined: not checked in.
        count = actions.check_in(
            step=step,
            territory=territory_a,
            acting_user=user("anna"),
            user_ids=[user("ada").pk, user("alan").pk],
        )
        assert count == 1
        assert Enrolment.objects.get(user=user("ada")).completed_at is not None


def test_drafts_cannot_be_joined_and_published_steps_are_frozen(territory_a, user):
    draft = make_playlist(territory_a, user("anna"), publish=False)
    with pytest.raises(ValidationError, match="cannot be joined"):
        join(territory_a, draft, user("ada"))
    published = make_playlist(territory_a, user("anna"))
    with tenant_context(territory_a), pytest.raises(ValidationError, match="only while"):
        actions.add_step(playlist=published, kind="challenge", title="Late addition")


def test_move_step_swaps_positions(territory_a, user):
    playlist = make_playlist(territory_a, user("anna"), publish=False)
    _first, second = steps_of(territory_a, playlist)
    with tenant_context(territory_a):
        actions.move_step(step=second, up=True)
    assert [s.title for s in steps_of(territory_a, playlist)] == [
        "Write the article",
        "Interview a neighbour",
    ]
