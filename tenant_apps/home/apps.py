from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """A territory's home page, assembled from sections other apps register."""

    name = "tenant_apps.home"
    label = "home"
    verbose_name = _("Territory home")

    def ready(self) -> None:
        from shared_apps.core.navigation import register_nav
        from tenant_apps.home import sections

        register_nav("territory", key="home", label=_("Home"), url_name="home:index", order=0)
        sections.register_empty_sections()

        from tenant_apps.manage.links import register_manage_link

        register_manage_link("home", label=_("Home page"), url_name="home:manage", order=12)
