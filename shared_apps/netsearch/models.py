"""One row per public activity of every territory: what the network search reads.

Written only by shared_apps.netsearch.actions (after each publishing change, and by
the reconciliation command); never a per-request union over territory schemas.
"""

from __future__ import annotations

from django.contrib.gis.db import models as gis_models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from tenants.models import Territory

# Text search configuration created by migration 0001: accents removed, no stemming
# (the network mixes languages).
SEARCH_CONFIG = "public.netsearch_simple"


class NetworkActivity(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    activity_id = models.BigIntegerField()
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300, blank=True)
    interests = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    format = models.CharField(max_length=10)
    is_online = models.BooleanField(default=False)
    is_local = models.BooleanField(default=False)
    # No spatial index on purpose: a search filters the few rows its words match (GIN)
    # by distance; an index would make PostgreSQL AND two large bitmaps instead.
    point = gis_models.PointField(geography=True, null=True, blank=True, spatial_index=False)
    languages = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    # Title and summary in the activity's other languages, interest names in every
    # language: searched (weight C), never shown.
    other_texts = models.TextField(blank=True, default="")
    # Path on the territory's own host; the absolute URL is built from the territory
    # when shown, so a change of domain or port never leaves stale links.
    path = models.CharField(max_length=100)
    search_vector = SearchVectorField(null=True)
    # md5 of the indexed content: the reconciliation compares it with the source.
    fingerprint = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "activity_id"], name="netsearch_activity_unique"
            )
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="netsearch_vector_gin"),
            models.Index(fields=["is_online", "territory"], name="netsearch_online_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.territory_id}/{self.activity_id}"

    @property
    def url(self) -> str:
        return self.territory.url.rstrip("/") + self.path
