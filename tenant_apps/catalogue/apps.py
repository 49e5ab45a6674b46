from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """Learning opportunities: providers, venues, activities, search and the map."""

    name = "tenant_apps.catalogue"
    label = "catalogue"
    verbose_name = _("Learning opportunities")

    def ready(self) -> None:
        from tenant_apps.catalogue import checklist, data_rights, figures, home, network

        home.register()
        figures.register()
        checklist.register()
        data_rights.register()
        # The network-wide search (shared_apps.netsearch) indexes the public activities.
        network.register()
