from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The network site on the bare domain: the territories, and the network layer."""

    name = "shared_apps.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from shared_apps.core.navigation import register_nav

        register_nav(
            "network",
            key="territories",
            label=_("Cities and regions"),
            url_name="network:home",
            order=0,
        )
