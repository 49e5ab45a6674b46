from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """What happened to a person's things, in the app and by email (issue 16, item 2).

    Public schema: a person is one account across territories, so their notifications
    are one list whatever site they read it on; each links to its own territory's host.
    """

    name = "shared_apps.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from shared_apps.core.navigation import register_my_link
        from shared_apps.notifications.selectors import unread_for_request

        for site in ("territory", "network"):
            register_my_link(
                site,
                key="notifications",
                label=_("Notifications"),
                url_name="notifications:list",
                order=5,
                count=unread_for_request,
            )

        from shared_apps.accounts import data_rights
        from shared_apps.notifications import data_handlers

        data_rights.register(
            "notifications",
            scope=data_rights.PUBLIC,
            exporter=data_handlers.export,
            eraser=data_handlers.erase,
        )
