from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Layout, forms, languages, health and helpers every other app builds on."""

    name = "shared_apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from shared_apps.core import checks  # noqa: F401  (registers the system check)
