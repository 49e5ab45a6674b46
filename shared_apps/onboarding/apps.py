from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """The sign-up wizard that takes a city or region to a live site, and its welcome
    checklist."""

    name = "shared_apps.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        from shared_apps.core.navigation import register_nav
        from shared_apps.onboarding import checklist, data_rights

        register_nav(
            "network",
            key="join",
            label=_("Start a city of learning"),
            url_name="onboarding:start",
            order=50,
        )
        checklist.register_builtin_checks()
        data_rights.register()
