"""One review path for every kind of evidence (a badge application, a playlist step).

``review()`` applies a reviewer's decision: it locks the item, refuses a reviewer
who is not staff of THIS territory allowed to review the item, or who is the learner
themself, requires feedback to ask for improvement or to reject, lets the feature
apply the decision (award the badge, open the next step), records the audit event
and notifies the learner, all in one transaction; the feature's ``after_commit``
hook runs only once that transaction has committed (never after a rollback).

A feature describes its item with a small adapter (``ReviewAdapter``); the rules
above are not the feature's to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared_apps.accounts.models import Membership, User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.notifications import actions as notifications
from tenants.models import Territory

APPROVE, IMPROVE, REJECT = "approve", "improve", "reject"
DECISIONS = (APPROVE, IMPROVE, REJECT)

Item = TypeVar("Item", bound=models.Model)


class ReviewAdapter(Generic[Item]):
    """What one feature's evidence is, who reviews it and what a decision does.

    Subclasses fill in the abstract methods; the defaults say "nothing more"."""

    # Shown when feedback is missing for "improve" / "reject" (the feature's wording).
    feedback_required: str | Promise = gettext_lazy("Say what to improve, or why.")
    # Notification kind per decision (a decision missing here notifies nobody: a badge
    # approval tells the learner through the award it makes).
    notification_kinds: Mapping[str, str] = {}
    # The audit event of each decision (typed: shared_apps.audit.events).
    audit_events: Mapping[str, AuditEvent] = {}

    def queryset(self) -> QuerySet[Item]:
        """The items, as ``review()`` locks and re-reads them."""
        raise NotImplementedError

    def learner_id(self, item: Item) -> int | None:
        raise NotImplementedError

    def may_review(self, item: Item, *, reviewer: User, membership: Membership) -> bool:
        """Whether this staff member of the territory reviews this item."""
        raise NotImplementedError

    def is_pending(self, item: Item) -> bool:
        raise NotImplementedError

    def already_reviewed(self) -> Exception:
        return ValidationError(_("This evidence was already reviewed."))

    def apply(
        self, item: Item, *, decision: str, comment: str, reviewer: User, territory: Territory
    ) -> None:
        """Write the decision on the item (and, on approval, what it earns), inside
        the review's transaction: raising refuses the whole decision."""
        raise NotImplementedError

    def audit_details(self, item: Item) -> dict[str, Any]:
        return {}

    def notification(self, item: Item) -> tuple[User | None, dict[str, Any], str]:
        """Who to tell, what their notification names (nothing the list or mail must
        not show: never the comment), and the page it links to."""
        return None, {}, ""

    def after_commit(self, item_id: int, decision: str, territory: Territory) -> None:
        """Runs once the decision is committed (never on rollback). Gets ids, not rows."""


def _in_territory(territory: Territory) -> None:
    """The connection must be in this territory's schema: a decision is never written
    into another territory's rows."""
    current = getattr(connection, "tenant", None)
    if current is None or getattr(current, "schema_name", None) != territory.schema_name:
        raise PermissionDenied(_("You cannot review evidence of this territory."))


@transaction.atomic
def review(
    *,
    adapter: ReviewAdapter[Item],
    item: Item,
    territory: Territory,
    reviewer: User,
    decision: str,
    comment: str = "",
) -> Item:
    """Approve, ask to improve (with feedback) or reject one piece of evidence.

    Refusals: PermissionDenied for a reviewer who may not review it (another
    territory, not its reviewer, the learner themself); ValidationError for an
    unknown decision or missing feedback; the adapter's ``already_reviewed()`` for an
    item that is not waiting. A refusal writes nothing."""
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."))
    _in_territory(territory)
    item = adapter.queryset().select_for_update().get(pk=item.pk)
    if adapter.learner_id(item) == reviewer.pk:
        raise PermissionDenied(_("You cannot review your own evidence."))
    membership = Membership.objects.filter(user_id=reviewer.pk, territory=territory).first()
    if membership is None or not adapter.may_review(item, reviewer=reviewer, membership=membership):
        raise PermissionDenied(_("You cannot review this evidence."))
    if not adapter.is_pending(item):
        raise adapter.already_reviewed()
    comment = comment.strip()
    if decision != APPROVE and not comment:
        raise ValidationError({"comment": str(adapter.feedback_required)})
    adapter.apply(item, decision=decision, comment=comment, reviewer=reviewer, territory=territory)
    record(
        actor=reviewer,
        action=adapter.audit_events[decision],
        territory=territory,
        target=item,
        details=adapter.audit_details(item),
    )
    kind = adapter.notification_kinds.get(decision)
    learner, params, path = adapter.notification(item) if kind else (None, {}, "")
    if kind and learner is not None:
        # Stored in this transaction, delivered (mail through the outbox) after the
        # commit: a refused or rolled-back decision notifies nobody.
        notifications.notify(user=learner, kind=kind, territory=territory, params=params, path=path)
    item_id = int(item.pk)
    transaction.on_commit(lambda: adapter.after_commit(item_id, decision, territory))
    return item
