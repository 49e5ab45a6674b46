"""The moderation status, shared by every moderated model (imported by models: keep
this module free of anything but Django's model fields)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationStatus(models.TextChoices):
    """The stored status of every moderated model (the same values in each table)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")
