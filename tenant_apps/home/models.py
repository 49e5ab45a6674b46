"""What the territory's admin wrote for its home page, in each of its languages.

One row per territory (its schema): ``texts`` holds, per language code, the hero's
headline and introduction and the titles given to sections; ``hidden_sections`` the
keys of sections (tenant_apps.home.sections) the home page leaves out. Anything left
empty falls back to the platform's own translated text.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models


class HomePage(models.Model):
    # {"lt": {"headline": "...", "intro": "...", "titles": {"activities": "..."}}, ...}
    texts = models.JSONField(default=dict, blank=True)
    hidden_sections = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "home page"

    def __str__(self) -> str:
        return "home page"
