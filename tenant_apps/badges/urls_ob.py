"""Public Open Badges URLs. They are ids inside issued badges: never change them."""

from django.urls import path, re_path

from tenant_apps.badges import views_ob

app_name = "ob"
UUID = r"(?P<{}>[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}})"
urlpatterns = [
    path(".well-known/did.json", views_ob.did_document, name="did"),
    path("issuers/<slug:slug>/did.json", views_ob.did_document, name="provider_did"),
    path("ob/v2/issuers/<slug:slug>", views_ob.ob2_issuer, name="v2_issuer"),
    re_path(
        rf"^ob/v2/badges/{UUID.format('badge_uuid')}$", views_ob.ob2_badge_class, name="v2_badge"
    ),
    re_path(
        rf"^ob/v2/badges/{UUID.format('badge_uuid')}/image\.(?P<extension>png|svg)$",
        views_ob.badge_image,
        name="badge_image",
    ),
    re_path(
        rf"^ob/v2/assertions/{UUID.format('award_uuid')}$",
        views_ob.ob2_assertion,
        name="v2_assertion",
    ),
    path("ob/v3/issuers/<slug:slug>", views_ob.ob3_issuer, name="v3_issuer"),
    re_path(
        rf"^ob/v3/achievements/{UUID.format('badge_uuid')}$",
        views_ob.ob3_achievement,
        name="v3_achievement",
    ),
    re_path(
        rf"^ob/v3/credentials/{UUID.format('award_uuid')}$",
        views_ob.ob3_credential,
        name="v3_credential",
    ),
    path("ob/v3/status/<slug:slug>/<int:number>", views_ob.status_list, name="v3_status"),
    re_path(
        rf"^badges/awards/{UUID.format('award_uuid')}/download/(?P<kind>[a-z0-9.]+)$",
        views_ob.download,
        name="download",
    ),
]
