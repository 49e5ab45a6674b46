from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManageConfig(AppConfig):
    """A territory's admin area: settings, branding, languages and members."""

    name = "tenant_apps.manage"
    label = "manage"
    verbose_name = _("Territory admin area")

    def ready(self) -> None:
        from shared_apps.core.navigation import membership_role, register_my_link

        register_my_link(
            "territory",
            key="manage",
            label=_("Manage"),
            url_name="manage:dashboard",
            order=60,
            # Provider staff keep it too: their playlist studio is in the admin area.
            visible=lambda request: membership_role(request, "territory_admin", "provider_staff"),
        )
