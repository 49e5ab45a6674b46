"""URLs of the network site, served on the bare PLATFORM_DOMAIN (public schema)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from learning_platform.urls_common import urlpatterns as common_urlpatterns
from shared_apps.billing import views as billing_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("shared_apps.network.urls")),
    path("backpack/", include("shared_apps.backpack.urls")),
    path("join/", include("shared_apps.onboarding.urls")),
    path("deserts/", include("tenant_apps.deserts.urls_network")),
    path("billing/stripe/webhook/", billing_views.stripe_webhook, name="stripe-webhook"),
    # Django admin for platform staff only; it does not exist on territory hosts.
    path("admin/", admin.site.urls),
    # Dead letters of the background workers, for platform staff.
    path("ops/", include("shared_apps.ops.urls")),
    *common_urlpatterns,
]
