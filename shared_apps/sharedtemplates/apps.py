from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharedTemplatesConfig(AppConfig):
    """Network templates (interest taxonomies) that territories adopt, never forced."""

    name = "shared_apps.sharedtemplates"
    label = "sharedtemplates"
    verbose_name = _("Network templates")

    def ready(self) -> None:
        from tenant_apps.manage.links import register_manage_link

        register_manage_link(
            "network_templates",
            label=_("Network templates"),
            url_name="territory_templates:list",
            order=85,
            group="site",
            description=_("Ready-made content shared across the network."),
        )
