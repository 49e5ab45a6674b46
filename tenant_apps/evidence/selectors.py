"""The review queue's shape, the same for every feature: what waits for this
reviewer, oldest first, never their own evidence; and one row per item for the
shared template fragments (``evidence/_evidence.html``, ``evidence/_review_form.html``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import models
from django.db.models import QuerySet

Item = TypeVar("Item", bound=models.Model)


def review_queue(
    items: QuerySet[Item], *, reviewer_id: int, learner_field: str, submitted_field: str
) -> QuerySet[Item]:
    """``items`` already limited to what the reviewer may review (the feature's
    scope); the learner's own are left out and the oldest come first."""
    return items.exclude(**{learner_field: reviewer_id}).order_by(submitted_field, "pk")


@dataclass(frozen=True)
class QueueRow(Generic[Item]):
    """One piece of evidence on a review page: the feature's item, what the learner
    sent, where its private file is served (after the feature's permission check;
    empty without a file) and where the decision is posted (empty: the same page)."""

    item: Item
    text: str
    url: str
    file_url: str
    decision_url: str = ""
