from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Global accounts (public schema) and their roles in territories and the network."""

    name = "shared_apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from shared_apps.accounts import footprints

        footprints.connect()
