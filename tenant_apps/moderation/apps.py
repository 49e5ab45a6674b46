from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """One moderation workflow (draft, review, publication, archive) for every kind of
    content a territory publishes: activities and playlists today. No models: the
    moderated models keep their own status columns with ``ModerationStatus`` values."""

    name = "tenant_apps.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
