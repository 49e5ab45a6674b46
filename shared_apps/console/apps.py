from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The network coordinators' console: territories' figures and lifecycle, time-limited
    entry into a territory's admin area, and the audit log."""

    name = "shared_apps.console"
    label = "console"
    verbose_name = _("Coordinator console")

    def ready(self) -> None:
        from shared_apps.accounts.middleware import register_entry_source
        from shared_apps.console.entry import entry_membership
        from shared_apps.console.selectors import can_use_console
        from shared_apps.core.navigation import register_nav
        from tenant_apps.manage.links import register_manage_link

        # A coordinator's entry grant lets them into a territory's admin area.
        register_entry_source(entry_membership)
        register_nav(
            "network",
            key="console",
            label=_("Coordinator console"),
            url_name="console:index",
            order=60,
            visible=lambda request: can_use_console(request.user),
        )

        register_manage_link(
            "audit",
            label=_("Audit log"),
            url_name="territory_audit:list",
            order=90,
            group="figures",
            description=_("Who changed what, and when."),
        )
