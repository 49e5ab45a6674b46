from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaylistsConfig(AppConfig):
    """Learning playlists: paths through activities and challenges, with progress."""

    name = "tenant_apps.playlists"
    label = "playlists"
    verbose_name = _("Learning playlists")

    def ready(self) -> None:
        from shared_apps.backpack.selectors import register_followed
        from tenant_apps.playlists import data_rights, figures, home
        from tenant_apps.playlists.selectors import followed_by

        home.register()
        figures.register()
        data_rights.register()
        # The learner passport (network site) lists the playlists followed here.
        register_followed(followed_by)
