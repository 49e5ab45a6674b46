"""Anonymous demand signals of one territory.

Deliberately without any link to an account, a session or an exact place: a row says
what was looked for, when, roughly where (an H3 cell of ~500 m), and how much was found.
"""

from __future__ import annotations

from django.db import models


class SearchEvent(models.Model):
    """One search on the activities page or the public API (first page only)."""

    class Source(models.TextChoices):
        PAGE = "page", "page"
        API = "api", "api"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.PAGE)
    # The free text, lower-cased and trimmed; "" for a search by filters only.
    terms = models.CharField(max_length=200, blank=True)
    # The other filters as given (interest slugs, age, cost, format, dates, radius,
    # languages, accessibility, sort), never the searcher's point.
    filters = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField()
    # H3 cell (resolution 8) of the point searched around, if any.
    cell = models.CharField(max_length=16, blank=True, db_index=True)
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["result_count", "created_at"], name="demand_search_zero_idx")
        ]

    def __str__(self) -> str:
        return f"search {self.created_at:%Y-%m-%d %H:%M} ({self.result_count})"


class InterestEvent(models.Model):
    """One "I'm interested" click: which interest(s), where the activity is, and where
    the learner searched from (when they had shared a point), nothing about who."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    activity_id = models.BigIntegerField()
    interest_slugs = models.JSONField(default=list, blank=True)
    # H3 cell of the learner's search point (blank when none was shared).
    cell = models.CharField(max_length=16, blank=True, db_index=True)
    # H3 cell of the activity's venue (blank for online activities).
    activity_cell = models.CharField(max_length=16, blank=True)

    def __str__(self) -> str:
        return f"interest {self.created_at:%Y-%m-%d %H:%M} activity {self.activity_id}"
