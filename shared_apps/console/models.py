"""What the coordinator console reads: a stored snapshot of each territory's figures
(counted in the territory's schema by ``refresh_territory_figures``), and the grants
that let a coordinator into a territory's admin area for a short time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenants.models import Territory


class TerritoryFigures(models.Model):
    """A territory's figures at ``refreshed_at``. One row per territory, so the console
    lists any number of territories with one query instead of one per schema."""

    territory = models.OneToOneField(
        Territory, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    verified_providers = models.PositiveIntegerField(default=0)
    published_activities = models.PositiveIntegerField(default=0)
    learners = models.PositiveIntegerField(default=0)
    badges_awarded = models.PositiveIntegerField(default=0)
    # Searches of the last 7 days and of the 7 days before (the weekly trend).
    searches = models.PositiveIntegerField(default=0)
    searches_previous = models.PositiveIntegerField(default=0)
    empty_searches = models.PositiveIntegerField(default=0)
    empty_searches_previous = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"figures of territory {self.territory_id}"


class EntryGrant(models.Model):
    """A coordinator's explicit, recorded and time-limited entry into one territory's
    admin area. The territory's host honours it only for its own territory, only for
    this account, only once to sign in, and only until ``expires_at``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_grants"
    )
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Set when the sign-in link was used: a link works once.
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "territory", "expires_at"])]

    def __str__(self) -> str:
        return f"entry grant {self.pk} to territory {self.territory_id}"

    @property
    def is_current(self) -> bool:
        return self.expires_at > timezone.now()
