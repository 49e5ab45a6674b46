from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManageConfig(AppConfig):
    """A territory's admin area: settings, branding, languages and members."""

    name = "tenant_apps.manage"
    label = "manage"
    verbose_name = _("Territory admin area")

    def ready(self) -> None:
        from shared_apps.core.navigation import membership_role, register_my_link
        from tenant_apps.manage.links import register_manage_link

        register_manage_link(
            "settings",
            label=_("Site settings"),
            url_name="manage:settings",
            order=1,
            group="site",
            description=_("Name, colours, logo, cover image and languages."),
        )
        register_manage_link(
            "members",
            label=_("Members"),
            url_name="manage:members",
            order=2,
            group="people",
            description=_("Who runs the site, reviews and offers activities."),
        )
        register_manage_link(
            "getting-started",
            label=_("Getting started"),
            url_name="onboarding_territory:welcome",
            order=3,
            group="site",
            description=_("The steps to open your site."),
        )
        register_manage_link(
            "billing",
            label=_("Plan and payment"),
            url_name="billing:page",
            order=4,
            group="site",
            description=_("Your plan and how you pay."),
        )
        register_manage_link(
            "domains",
            label=_("Domains"),
            url_name="domains:list",
            order=5,
            group="site",
            description=_("Your own web address."),
        )

        register_my_link(
            "territory",
            key="manage",
            label=_("Manage"),
            url_name="manage:dashboard",
            order=60,
            # Provider staff keep it too: their playlist studio is in the admin area.
            visible=lambda request: membership_role(request, "territory_admin", "provider_staff"),
        )
