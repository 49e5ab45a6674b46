from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardiansConfig(AppConfig):
    """Age-aware accounts: guardian consent below the digital consent age, the
    account page with data download and deletion, and retention of minors' accounts."""

    name = "shared_apps.guardians"
    label = "guardians"
    verbose_name = _("Guardian consent")

    def ready(self) -> None:
        from shared_apps.core.navigation import SiteKind, register_my_link
        from shared_apps.guardians import data_handlers

        data_handlers.register_all()
        sites: tuple[SiteKind, ...] = ("network", "territory")
        for site in sites:
            register_my_link(
                site, key="account", label=_("My account"), url_name="guardians:account", order=90
            )
