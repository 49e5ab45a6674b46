from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManageConfig(AppConfig):
    """A territory's admin area: settings, branding, languages and members."""

    name = "tenant_apps.manage"
    label = "manage"
    verbose_name = _("Territory admin area")
