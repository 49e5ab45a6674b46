from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the platform: background tasks, email, dead letters, logs, metrics,
    health, backups."""

    name = "shared_apps.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from shared_apps.ops import signals  # noqa: F401  (connects Celery and log signals)
