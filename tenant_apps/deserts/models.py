"""Stored results of the learning-desert analytics of one territory.

Nothing here identifies a person: population comes from reference figures per area,
demand from the anonymous search log already reduced to H3 cells. Demand of cells
with fewer than ``k`` searches is blanked when a run is stored, and every demand
figure below ``k`` (per interest, zero-result searches, clicks, territory totals) is
blanked where it is read (``publishable``; selectors.cell_rows for the cells).
"""

from __future__ import annotations

from django.contrib.gis.db import models as gis_models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_DISTANCE_M = 1500
DEFAULT_K = 10
# Searches of the last this many days count as the demand of a run.
DEFAULT_WINDOW_DAYS = 90
# A populated cell whose index is below this share of the territory median is a desert.
DESERT_RATIO = 0.5


def publishable(count: int | None, k: int) -> int | None:
    """``count`` if it may be published (k or more events), else None (shown blank).

    Every published demand figure must count at least k events, not just a cell's
    total: 3 searches for one interest among 50 tell as much about those 3 people as
    a cell of 3 searches would. Zero is below k too: "nobody here searched for X"
    next to a total is a figure about the few who searched for something else."""
    return count if count is not None and count >= k else None


class PopulationArea(models.Model):
    """Young people living in one area (a district, a census tract), as uploaded by the
    territory admin. Either a polygon (split over the cells it covers) or a point."""

    code = models.CharField(_("district code"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=160)
    young_people = models.PositiveIntegerField(_("young people"))
    polygon = gis_models.MultiPolygonField(srid=4326, null=True, blank=True)
    point = gis_models.PointField(srid=4326, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DesertRun(models.Model):
    """One computation. Only the latest run of each month is kept (the monthly trend)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    month = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    distance_m = models.PositiveIntegerField(
        default=DEFAULT_DISTANCE_M, validators=[MinValueValidator(200), MaxValueValidator(20000)]
    )
    k = models.PositiveSmallIntegerField(default=DEFAULT_K, validators=[MinValueValidator(1)])
    window_days = models.PositiveSmallIntegerField(default=DEFAULT_WINDOW_DAYS)
    resolution = models.PositiveSmallIntegerField(default=8)
    # Territory-wide figures, so summaries never read the cells.
    median_index = models.FloatField(null=True, blank=True)
    populated_cells = models.PositiveIntegerField(default=0)
    desert_cells = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    zero_result_searches = models.PositiveIntegerField(default=0)
    interest_clicks = models.PositiveIntegerField(default=0)
    # Online activities have no place: counted apart (sessions per week), per interest.
    online_supply = models.FloatField(default=0)
    online_by_interest = models.JSONField(default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"desert run {self.pk} ({self.status})"

    # The territory-wide demand figures, as published (below k: None).
    @property
    def published_searches(self) -> int | None:
        return publishable(self.searches, self.k)

    @property
    def published_zero_result_searches(self) -> int | None:
        return publishable(self.zero_result_searches, self.k)

    @property
    def desert_share(self) -> float | None:
        if not self.populated_cells:
            return None
        return self.desert_cells / self.populated_cells


class DesertCell(models.Model):
    """One H3 cell of a run. Demand fields are None when the cell is suppressed."""

    run = models.ForeignKey(DesertRun, on_delete=models.CASCADE, related_name="cells")
    cell = models.CharField(max_length=16)
    resolution = models.PositiveSmallIntegerField(default=8)
    lat = models.FloatField()
    lon = models.FloatField()
    # Sessions per week of local activities at venues in this cell.
    supply = models.FloatField(default=0)
    # ... within the run's distance of the cell centre, in total and per interest slug.
    reachable_supply = models.FloatField(default=0)
    reachable_by_interest = models.JSONField(default=dict, blank=True)
    population = models.FloatField(default=0)
    reachable_population = models.FloatField(default=0)
    # Reachable sessions per week per 1,000 young people living within the same distance.
    index = models.FloatField(null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    searches = models.PositiveIntegerField(null=True, blank=True)
    zero_result_searches = models.PositiveIntegerField(null=True, blank=True)
    interest_clicks = models.PositiveIntegerField(null=True, blank=True)
    searches_by_interest = models.JSONField(null=True, blank=True)
    suppressed = models.BooleanField(default=True)

    class Meta:
        ordering = ["cell"]
        constraints = [
            models.UniqueConstraint(fields=["run", "cell"], name="deserts_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cell} ({self.index})"

    @property
    def is_desert(self) -> bool:
        return self.ratio is not None and self.ratio < DESERT_RATIO
