"""Completion rules of a playlist, as pure functions of its steps and one learner's
progress, shared by the actions (which enforce them) and the pages (which show them).

- Ordered playlists: a step is locked until every *required* step before it is done
  (optional steps never block, or a skipped optional step would lock the rest).
- Completion: every required step done, and at least ``min_optional`` optional ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

DONE = "done"
WAITING = "waiting"
OPEN = "open"
LOCKED = "locked"
NEEDS_IMPROVEMENT = "needs_improvement"
REJECTED = "rejected"

_PROGRESS_TO_DISPLAY = {
    "approved": DONE,
    "submitted": WAITING,
    "open": OPEN,
    "needs_improvement": NEEDS_IMPROVEMENT,
    "rejected": REJECTED,
}


class StepLike(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def is_required(self) -> bool: ...


def step_states(
    steps: Sequence[StepLike], progress: Mapping[int, str], *, is_ordered: bool
) -> dict[int, str]:
    """The display state of each step (by step id); ``progress`` maps step ids to
    StepProgress states (missing = not started)."""
    states: dict[int, str] = {}
    blocked = False
    for step in steps:
        pk = int(step.pk or 0)
        state = _PROGRESS_TO_DISPLAY.get(progress.get(pk, "open"), OPEN)
        if blocked and state != DONE:
            state = LOCKED
        states[pk] = state
        if is_ordered and step.is_required and state != DONE:
            blocked = True
    return states


def is_complete(steps: Sequence[StepLike], progress: Mapping[int, str], min_optional: int) -> bool:
    if not steps:
        return False
    done = {pk for pk, state in progress.items() if state == "approved"}
    required = [s for s in steps if s.is_required]
    optional_done = sum(1 for s in steps if not s.is_required and s.pk in done)
    return all(s.pk in done for s in required) and optional_done >= min_optional


def can_submit(state: str) -> bool:
    """Evidence may be sent for a step that is open or needs improvement."""
    return state in (OPEN, NEEDS_IMPROVEMENT)
