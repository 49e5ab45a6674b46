from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackpackConfig(AppConfig):
    """A learner's badges from every territory of the network, in one place."""

    name = "shared_apps.backpack"
    label = "backpack"
    verbose_name = _("Backpack")

    def ready(self) -> None:
        from shared_apps.core.navigation import register_nav

        register_nav(
            "network", key="backpack", label=_("My badges"), url_name="backpack:index", order=20
        )
