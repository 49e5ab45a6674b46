from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaylistsConfig(AppConfig):
    """Learning playlists: paths through activities and challenges, with progress."""

    name = "tenant_apps.playlists"
    label = "playlists"
    verbose_name = _("Learning playlists")

    def ready(self) -> None:
        from tenant_apps.playlists import data_rights, figures, home

        home.register()
        figures.register()
        data_rights.register()
