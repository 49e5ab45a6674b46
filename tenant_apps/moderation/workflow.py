"""One moderation workflow, one transition table: a draft is sent for review
(``submitted``), published by the territory (or at once when it trusts the author),
returned with a reason, withdrawn by its author, and archived.

``TRANSITIONS`` is the one table ``{(from status, event): (to status, who may)}``.
Each moderated kind (activities, playlists) declares a ``Workflow`` whose rules are
that table's rows for the events it supports (``table``), each with the kind's audit
code, guards (what must be complete before publication) and hooks. ``transition`` is
the one place that changes a moderated object's status:

1. the object must live in the territory's schema (the connection's) and the acting
   user must work there: a curator (the author's team or the territory admin) or a
   reviewer (the territory admin) as the rule says;
2. the row is locked (``select_for_update``) and its stored status decides which rule
   applies; no rule: ``TransitionError`` (a ``ValidationError``: views show its message);
3. the rule's guards run (publication problems, a reason where one is required);
4. the status and its timestamps are saved and one audit entry is written;
5. the rule's ``effects`` run inside the transaction (writes that must commit or roll
   back with the change: search columns, in-app notifications and their e-mail outbox);
   its ``after_commit`` hooks run once the transaction commits, in the territory's
   schema (page caches): a rollback triggers none of them. (An activity's subscribers,
   the network index among them, are told after commit by ``publishing``, which its
   search-columns effect calls.)
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Membership, User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.db import tenant_connection
from tenant_apps.moderation.status import ModerationStatus
from tenants.models import Territory

__all__ = [
    "NOT_ALLOWED",
    "TRANSITIONS",
    "Actor",
    "Attempt",
    "Event",
    "Guard",
    "Hook",
    "ModerationStatus",
    "On",
    "Rule",
    "TransitionError",
    "Workflow",
    "table",
    "transition",
]


class Event(enum.StrEnum):
    SUBMIT = "submit"  # the author sends a draft for review
    PUBLISH = "publish"  # the author publishes at once (trusted, or the territory itself)
    APPROVE = "approve"  # the territory publishes a submitted one
    RETURN = "return"  # the territory sends it back to draft, with a reason
    WITHDRAW = "withdraw"  # the author takes a submitted one back to edit it
    ARCHIVE = "archive"  # off the site, kept (to run again)


class Actor(enum.StrEnum):
    CURATOR = "curator"  # the author's team (provider staff) or the territory admin
    REVIEWER = "reviewer"  # the territory admin


class Moderated(Protocol):
    """The columns the workflow owns on a moderated model (properties: a model field
    accepts more types on assignment than it returns)."""

    pk: Any

    @property
    def status(self) -> str: ...
    @status.setter
    def status(self, value: str) -> None: ...
    @property
    def return_reason(self) -> str: ...
    @return_reason.setter
    def return_reason(self, value: str) -> None: ...
    @property
    def submitted_at(self) -> datetime.datetime | None: ...
    @submitted_at.setter
    def submitted_at(self, value: datetime.datetime | None) -> None: ...
    @property
    def published_at(self) -> datetime.datetime | None: ...
    @published_at.setter
    def published_at(self, value: datetime.datetime | None) -> None: ...

    def save(self, *args: Any, **kwargs: Any) -> None: ...


# Bound to Model, not to Moderated: mypy checks type arguments' bounds before the
# Django plugin has given the models their fields; ``_columns`` casts once.
M = TypeVar("M", bound=models.Model)


# Said to a user who holds no role that may make this change here.
NOT_ALLOWED = _("You may not do this here.")


class TransitionError(ValidationError):
    """A refused transition: not allowed from the current status, not by this user or
    not in this territory, or the object is incomplete. Nothing was written."""


@dataclass(frozen=True)
class Attempt(Generic[M]):
    """What a guard or hook is told about the transition being made."""

    obj: M
    event: Event
    territory: Territory
    acting_user: User
    reason: str
    previous: str
    is_reviewer: bool


Guard = Callable[[Attempt[M]], list[str]]  # messages: empty means allowed
Hook = Callable[[Attempt[M]], None]


@dataclass(frozen=True)
class Rule(Generic[M]):
    target: ModerationStatus
    actor: Actor
    audit: AuditEvent  # what the audit log says of this transition
    guards: tuple[Guard[M], ...] = ()
    effects: tuple[Hook[M], ...] = ()  # inside the transaction
    after_commit: tuple[Hook[M], ...] = ()  # once committed, in the territory's schema


S = ModerationStatus

# THE transition table: (from, event) -> (to, who may). Every moderated kind uses it,
# for the events it supports, with its own audit codes, guards and hooks (``table``).
TRANSITIONS: Mapping[tuple[str, Event], tuple[ModerationStatus, Actor]] = {
    (S.DRAFT, Event.SUBMIT): (S.SUBMITTED, Actor.CURATOR),
    (S.ARCHIVED, Event.SUBMIT): (S.SUBMITTED, Actor.CURATOR),
    # Guarded by each kind: only authors it trusts (or the territory) skip review.
    (S.DRAFT, Event.PUBLISH): (S.PUBLISHED, Actor.CURATOR),
    (S.ARCHIVED, Event.PUBLISH): (S.PUBLISHED, Actor.CURATOR),
    (S.SUBMITTED, Event.APPROVE): (S.PUBLISHED, Actor.REVIEWER),
    (S.SUBMITTED, Event.RETURN): (S.DRAFT, Actor.REVIEWER),
    (S.PUBLISHED, Event.RETURN): (S.DRAFT, Actor.REVIEWER),
    (S.SUBMITTED, Event.WITHDRAW): (S.DRAFT, Actor.CURATOR),
    (S.DRAFT, Event.ARCHIVE): (S.ARCHIVED, Actor.CURATOR),
    (S.SUBMITTED, Event.ARCHIVE): (S.ARCHIVED, Actor.CURATOR),
    (S.PUBLISHED, Event.ARCHIVE): (S.ARCHIVED, Actor.CURATOR),
}


@dataclass(frozen=True)
class On(Generic[M]):
    """What one kind does on one event: its audit event, guards and hooks."""

    audit: AuditEvent
    guards: tuple[Guard[M], ...] = ()
    effects: tuple[Hook[M], ...] = ()
    after_commit: tuple[Hook[M], ...] = ()


def table(events: Mapping[Event, On[M]]) -> dict[tuple[str, Event], Rule[M]]:
    """A kind's rules: the shared ``TRANSITIONS`` of the events it supports."""
    return {
        (str(source), event): Rule(target, actor, on.audit, on.guards, on.effects, on.after_commit)
        for (source, event), (target, actor) in TRANSITIONS.items()
        if (on := events.get(event)) is not None
    }


@dataclass(frozen=True)
class Workflow(Generic[M]):
    name: str
    model: type[M]
    table: Mapping[tuple[str, Event], Rule[M]]
    # Why an event is refused from a status the table has no rule for.
    refusals: Mapping[Event, str | Promise]
    # Who curates this object besides the territory admin (its provider's staff).
    is_curator: Callable[[M, User], bool]
    # Refusals checked before anything else (e.g. personal playlists are never published).
    eligible: Guard[M] = field(default=lambda attempt: [])
    # Events that need a reason (checked before the status, as the forms ask for it).
    reason_required: Mapping[Event, str | Promise] = field(default_factory=dict)
    # Events that do nothing (no audit, no hooks) when the object is already there.
    idempotent: frozenset[Event] = frozenset()
    # The kind's own columns written with the status: sets them on the object and
    # returns their names (e.g. who sent an activity for review).
    stamp: Callable[[Attempt[M], ModerationStatus], Iterable[str]] = field(
        default=lambda attempt, target: ()
    )
    # Keep the first publication date on re-publication (an activity's "new" badge).
    keep_first_published_at: bool = False


def _role(user: User, territory: Territory) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, territory=territory)
        .values_list("role", flat=True)
        .first()
    )


def _refuse(messages: Iterable[str | Promise]) -> TransitionError:
    return TransitionError([str(message) for message in messages])


@transaction.atomic
def transition(
    workflow: Workflow[M],
    obj: M,
    event: Event,
    *,
    territory: Territory,
    acting_user: User,
    reason: str = "",
) -> M:
    """Make one transition of ``obj`` (changed in place and returned) or raise
    ``TransitionError`` having written nothing."""
    if tenant_connection().schema_name != territory.schema_name:
        # The object was read from another territory's schema than the one acting.
        raise _refuse([_("This belongs to another territory.")])
    columns = _columns(obj)
    problems = workflow.eligible(
        Attempt(obj, event, territory, acting_user, reason, columns.status, is_reviewer=False)
    )
    if problems:
        raise _refuse(problems)
    role = _role(acting_user, territory)
    is_reviewer = role == Membership.Role.TERRITORY_ADMIN
    locked = workflow.model._default_manager.select_for_update().filter(pk=obj.pk)
    previous = locked.values_list("status", flat=True).first()
    if previous is None:
        raise _refuse([_("This change is not possible now.")])
    columns.status = previous
    if event in workflow.idempotent and _target_of(workflow, event) == previous:
        return obj
    rule = workflow.table.get((previous, event))
    actor = rule.actor if rule is not None else _actor_of(workflow, event)
    if not _may(actor, workflow, obj, acting_user, role):
        raise _refuse([NOT_ALLOWED])
    if event in workflow.reason_required and not reason.strip():
        raise TransitionError({"reason": [str(workflow.reason_required[event])]})
    if rule is None:
        raise _refuse([workflow.refusals.get(event, _("This change is not possible now."))])
    attempt = Attempt(obj, event, territory, acting_user, reason.strip(), previous, is_reviewer)
    for guard in rule.guards:
        problems = guard(attempt)
        if problems:
            raise _refuse(problems)
    _save(workflow, attempt, rule.target)
    record(
        actor=acting_user,
        action=rule.audit,
        territory=territory,
        target=obj,
        details={"previous": previous, "status": str(rule.target), "reason": attempt.reason},
    )
    for effect in rule.effects:
        effect(attempt)
    if rule.after_commit:
        transaction.on_commit(lambda: _after_commit(rule.after_commit, attempt))
    return obj


def _target_of(workflow: Workflow[M], event: Event) -> str | None:
    targets = {str(rule.target) for (_source, e), rule in workflow.table.items() if e == event}
    return targets.pop() if len(targets) == 1 else None


def _actor_of(workflow: Workflow[M], event: Event) -> Actor:
    """Who could make this event from some status (to refuse outsiders before saying
    anything about the object's status)."""
    actors = {rule.actor for (_source, e), rule in workflow.table.items() if e == event}
    return Actor.CURATOR if Actor.CURATOR in actors else Actor.REVIEWER


def _may(actor: Actor, workflow: Workflow[M], obj: M, user: User, role: str | None) -> bool:
    """The territory admin may do everything; curators' events are also open to the
    object's own team (``is_curator``: rows of this territory's schema, so staff of
    another territory never qualify; a provider waiting for verification does)."""
    if role == Membership.Role.TERRITORY_ADMIN:
        return True
    return actor == Actor.CURATOR and user.is_authenticated and workflow.is_curator(obj, user)


def _columns(obj: models.Model) -> Moderated:
    """The workflow's columns of a moderated model (each Workflow's model has them)."""
    return cast(Moderated, obj)


def _save(workflow: Workflow[M], attempt: Attempt[M], target: ModerationStatus) -> None:
    now = timezone.now()
    obj = _columns(attempt.obj)
    obj.status = target
    obj.return_reason = attempt.reason
    if target == ModerationStatus.SUBMITTED:
        obj.submitted_at = now
    if target == ModerationStatus.PUBLISHED and not (
        workflow.keep_first_published_at and obj.published_at is not None
    ):
        obj.published_at = now
    extra = list(workflow.stamp(attempt, target))
    obj.save(
        update_fields=[
            "status",
            "return_reason",
            "submitted_at",
            "published_at",
            "updated_at",
            *extra,
        ]
    )


def _after_commit(hooks: tuple[Hook[M], ...], attempt: Attempt[M]) -> None:
    # on_commit callbacks run in whatever schema the connection is in by then.
    with schema_context(attempt.territory.schema_name):
        for hook in hooks:
            hook(attempt)
