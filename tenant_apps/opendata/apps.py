from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """Open data out (schema.org catalogue and RPDE changes feeds) and providers'
    calendars in (iCalendar import)."""

    name = "tenant_apps.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from tenant_apps.opendata import changes
        from tenants.setup import register_schema_ready

        # Subscribes to the catalogue's publishing changes (import side effect).
        register_schema_ready("opendata.feed", changes.reconcile_for_setup)
