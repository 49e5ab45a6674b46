from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The network coordinators' console: territories' figures and lifecycle, time-limited
    entry into a territory's admin area, and the audit log."""

    name = "shared_apps.console"
    label = "console"
    verbose_name = _("Coordinator console")

    def ready(self) -> None:
        from tenant_apps.manage.links import register_manage_link

        register_manage_link(
            "audit", label=_("Audit log"), url_name="territory_audit:list", order=90
        )
