from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    """Open Badges 2.0 and 3.0 of a territory: issuers, badges, awards, verification."""

    name = "tenant_apps.badges"
    label = "badges"
    verbose_name = _("Badges")

    def ready(self) -> None:
        from shared_apps.backpack.actions import register_award_source
        from shared_apps.core.navigation import register_my_link, register_nav
        from tenant_apps.badges import backpack, checklist, data_rights, figures, home
        from tenant_apps.badges.actions import ensure_issuers, ensure_provider_issuer
        from tenant_apps.catalogue.hooks import on_provider_verified
        from tenant_apps.home.sections import register_section
        from tenants.setup import register_schema_ready

        checklist.register()
        data_rights.register()
        # The network's backpack index reads this territory's awards through this module.
        register_award_source(backpack)
        # Issuers exist from the territory's provisioning on, so no page view creates one.
        register_schema_ready("badges.issuers", ensure_issuers)
        # A provider the catalogue verifies becomes an issuer in the same transaction.
        on_provider_verified(ensure_provider_issuer)
        figures.register()
        register_nav("territory", key="badges", label=_("Badges"), url_name="badges:list", order=40)
        register_my_link(
            "territory", key="badges", label=_("My badges"), url_name="badges:mine", order=30
        )
        register_nav(
            "territory", key="verify", label=_("Verify a badge"), url_name="badges:verify", order=45
        )
        from tenant_apps.manage.links import register_manage_link

        register_manage_link(
            "badges",
            label=_("Badges"),
            url_name="badges_manage:list",
            order=24,
            group="content",
            description=_("Badges, who issues them and who earned them."),
        )
        register_section(
            "badges",
            order=40,
            template="badges/home_section.html",
            title=_("Badges"),
            context=home.section_context,
        )
