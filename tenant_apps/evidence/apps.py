from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Evidence and its review, shared by every feature that takes evidence (badge
    applications, playlist steps). No models: each feature keeps its own rows."""

    name = "tenant_apps.evidence"
    label = "evidence"
    verbose_name = _("Evidence review")
