"""URL patterns served on every host (network site and each territory)."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

from shared_apps.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("allauth.urls")),
    path("account/", include("shared_apps.guardians.urls")),
    path("i18n/language/", core_views.set_language, name="set_language"),
]

if settings.DEBUG:
    # Production serves media from nginx or S3 (deploy/).
    urlpatterns.append(
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    )
