from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    """The territory's accessibility statement (EU Web Accessibility Directive)."""

    name = "tenant_apps.accessibility"
    label = "accessibility"
    verbose_name = _("Accessibility")

    def ready(self) -> None:
        from tenant_apps.manage.links import register_manage_link

        register_manage_link(
            "accessibility",
            label=_("Accessibility statement"),
            url_name="accessibility:edit",
            order=90,
            group="site",
            description=_("What is accessible on your site, and whom to tell."),
        )
