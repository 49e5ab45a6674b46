from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    """What young people look for, anonymously: searches and "I'm interested" clicks.

    No user id, no exact point, no IP: a coarse hex cell (H3 resolution 8, ~0.7 km²)
    at most. The learning-desert analytics read these two tables.
    """

    name = "tenant_apps.demand"
    label = "demand"
    verbose_name = _("Search demand")

    def ready(self) -> None:
        from tenant_apps.demand import figures

        figures.register()
