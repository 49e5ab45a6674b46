from django.apps import AppConfig
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shared_apps.core.hosts import network_url


class BackpackConfig(AppConfig):
    """A learner's badges from every territory of the network, in one place."""

    name = "shared_apps.backpack"
    label = "backpack"
    verbose_name = _("Backpack")

    def ready(self) -> None:
        from shared_apps.accounts.footprints import register_source
        from shared_apps.backpack import data_rights
        from shared_apps.backpack.selectors import territory_ids_holding
        from shared_apps.core.navigation import register_my_link, register_nav

        # Badges awarded to an email address before any account had it: their territories
        # hold rows about the account too (per-person exports, deletion, consent).
        register_source(territory_ids_holding)
        data_rights.register()

        register_nav(
            "network", key="backpack", label=_("My badges"), url_name="backpack:index", order=20
        )
        # From a territory site: the backpack and passport live on the network site.
        register_my_link("territory", key="backpack", label=_("My backpack"), url=_url, order=40)


def _url(request: HttpRequest) -> str:
    return network_url(reverse("backpack:index", urlconf=settings.PUBLIC_SCHEMA_URLCONF))
