from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesertsConfig(AppConfig):
    """Learning deserts: where young people look for learning and find little of it.

    Supply (published local activities weighted by sessions per week), reference
    population and the anonymous search log are combined per H3 cell by a background
    run; pages read the stored runs only.
    """

    name = "tenant_apps.deserts"
    label = "deserts"
    verbose_name = _("Learning deserts")

    def ready(self) -> None:
        from tenant_apps.manage.links import register_manage_link

        register_manage_link(
            "deserts",
            label=_("Learning deserts"),
            url_name="deserts:overview",
            order=40,
            group="figures",
            description=_("Where young people look for learning and find little."),
        )
