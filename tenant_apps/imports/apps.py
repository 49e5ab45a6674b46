from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bringing a territory's existing catalogue in (CSV, XLSX, JSON in the API's
    shape) and handing its public catalogue out as CSV."""

    name = "tenant_apps.imports"
    label = "imports"
    verbose_name = _("Import activities")

    def ready(self) -> None:
        from tenant_apps.imports import tasks  # noqa: F401  (registers the task)
        from tenant_apps.manage.links import register_manage_link

        register_manage_link(
            "imports", label=_("Import activities"), url_name="imports:start", order=35
        )
