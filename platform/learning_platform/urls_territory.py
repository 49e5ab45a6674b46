"""URLs of a territory site, served on `<slug>.<PLATFORM_DOMAIN>` (territory schema)."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from learning_platform.urls_common import urlpatterns as common_urlpatterns
from shared_apps.console import views as console_views
from tenant_apps.catalogue.api import api_urlpatterns as catalogue_api
from tenant_apps.opendata.api import api_urlpatterns as opendata_api
from tenant_apps.playlists.api import api_urlpatterns as playlists_api
from tenants import api as territory_api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("tenant_apps.home.urls")),
    path("", include("tenant_apps.accessibility.urls")),
    path("manage/badges/", include("tenant_apps.badges.urls_manage")),
    path("manage/billing/", include("shared_apps.billing.urls")),
    path("manage/domains/", include("tenants.urls_manage")),
    path("manage/review/", include("tenant_apps.catalogue.urls_review")),
    path("manage/deserts/", include("tenant_apps.deserts.urls")),
    path("manage/audit/", include("shared_apps.console.urls_territory")),
    path("manage/templates/", include("shared_apps.sharedtemplates.urls_territory")),
    path("manage/import/", include("tenant_apps.imports.urls")),
    path("manage/", include("tenant_apps.manage.urls")),
    path("console-entry/<str:token>/", console_views.use_entry, name="console-entry"),
    path("network/", include("shared_apps.netsearch.urls")),
    path("welcome/", include("shared_apps.onboarding.urls_territory")),
    path("badges/", include("tenant_apps.badges.urls")),
    path("playlists/", include("tenant_apps.playlists.urls")),
    path("", include("tenant_apps.badges.urls_ob")),
    path("open-data/", include("tenant_apps.imports.urls_public")),
    path("", include("tenant_apps.catalogue.urls")),
    path("api/territory/", territory_api.TerritoryView.as_view(), name="api-territory"),
    path("api/me/", territory_api.MeView.as_view(), name="api-me"),
    path("api/", include(catalogue_api)),
    path("api/", include(playlists_api)),
    path("api/", include(opendata_api)),
    path("", include("tenant_apps.opendata.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (?script): no inline script,
    # so the strict Content-Security-Policy holds here too.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *common_urlpatterns,
]
