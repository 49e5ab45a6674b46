from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetsearchConfig(AppConfig):
    """The network-wide search index (public schema), kept in step with publishing."""

    name = "shared_apps.netsearch"
    label = "netsearch"
    verbose_name = _("Network search")

    def ready(self) -> None:
        from shared_apps.core.navigation import register_nav

        register_nav(
            "territory",
            key="network_search",
            label=_("Across the network"),
            url_name="netsearch:search",
            order=80,
        )
