from django.urls import path, re_path

from tenant_apps.badges import views_manage

app_name = "badges_manage"
urlpatterns = [
    path("", views_manage.badge_list, name="list"),
    path("new/", views_manage.badge_create, name="create"),
    path("reviews/", views_manage.reviews, name="reviews"),
    path("reviews/<int:application_id>/", views_manage.review, name="review"),
    path("issuers/", views_manage.issuers, name="issuers"),
    path("issuers/new/", views_manage.issuer_create, name="issuer_create"),
    path("issuers/<slug:slug>/", views_manage.issuer_edit, name="issuer"),
    path("issuers/<slug:slug>/rotate-key/", views_manage.issuer_rotate_key, name="issuer_rotate"),
    path("awards/<str:award_uuid>/revoke/", views_manage.revoke, name="revoke"),
    path("codes/<int:code_id>/", views_manage.code_detail, name="code"),
    re_path(
        r"^codes/(?P<code_id>\d+)/qr\.(?P<extension>svg|png)$", views_manage.code_qr, name="code_qr"
    ),
    path("codes/<int:code_id>/codes.csv", views_manage.codes_csv, name="codes_csv"),
    path("codes/<int:code_id>/deactivate/", views_manage.code_deactivate, name="code_deactivate"),
    path("<slug:slug>/", views_manage.badge_awards, name="badge"),
    path("<slug:slug>/edit/", views_manage.badge_edit, name="edit"),
    path("<slug:slug>/translations/", views_manage.badge_translations, name="translations"),
    path("<slug:slug>/archive/", views_manage.badge_archive, name="archive"),
    path("<slug:slug>/bulk/", views_manage.bulk_award, name="bulk"),
    path("<slug:slug>/codes/", views_manage.claim_codes, name="codes"),
]
