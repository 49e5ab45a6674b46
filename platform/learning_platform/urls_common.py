"""URL patterns served on every host (network site and each territory)."""

from allauth.account.views import SignupView
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

from shared_apps.accounts import views_language

urlpatterns: list[URLPattern | URLResolver] = [
    # One transaction per sign-up: the account, its membership and its confirmation
    # email (an outbox row) are stored together or not at all, so a failure half-way
    # never leaves an account whose address is "taken" but was never confirmed.
    path("accounts/signup/", transaction.atomic(SignupView.as_view()), name="account_signup"),
    # One sign-in across the network (shared_apps.accounts.sso).
    path("accounts/sso/", include("shared_apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("shared_apps.guardians.urls")),
    path("notifications/", include("shared_apps.notifications.urls")),
    path("i18n/language/", views_language.set_language, name="set_language"),
]

if settings.DEBUG:
    # Production serves media from nginx or S3 (deploy/).
    urlpatterns.append(
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    )
