"""Templates published by network coordinators and their adoption by territories.

A template is an interest taxonomy, a badge class or a playlist (its challenges: the
activities of a playlist belong to one city, challenges travel). Adopting copies the
template into the territory's schema (its interests, a badge class, a draft playlist);
the adoption row keeps the link to the origin and the version copied, so a newer
version can be offered to the territory, which decides whether to take it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tenants.models import Territory


class NetworkTemplate(models.Model):
    class Kind(models.TextChoices):
        INTERESTS = "interests", "interests"
        BADGE_CLASS = "badge_class", "badge class"
        PLAYLIST = "playlist", "playlist"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTERESTS)
    name = models.CharField(max_length=120)
    version = models.PositiveIntegerField(default=1)
    # For interests: [{"slug": "music", "names": {"en": "Music", "lt": "Muzika"}}, ...]
    payload = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class TemplateAdoption(models.Model):
    template = models.ForeignKey(
        NetworkTemplate, on_delete=models.CASCADE, related_name="adoptions"
    )
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    # The territory's interests that came from the template (their slugs).
    interest_slugs = models.JSONField(default=list)
    # What a badge-class or playlist template became here: {"badge": slug} or
    # {"playlists": [id, ...]} (a new version of a playlist becomes a new draft).
    copied = models.JSONField(default=dict, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "territory"], name="sharedtemplates_adoption_unique"
            )
        ]

    def __str__(self) -> str:
        return f"template {self.template_id} v{self.version} in {self.territory_id}"
