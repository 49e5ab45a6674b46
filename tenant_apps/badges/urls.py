from django.urls import path

from tenant_apps.badges import views

app_name = "badges"
urlpatterns = [
    path("", views.badge_list, name="list"),
    path("mine/", views.my_badges, name="mine"),
    path("verify/", views.verify, name="verify"),
    path("claim/", views.claim, name="claim"),
    path("claim/<str:code>/", views.claim, name="claim_code"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("awards/<str:award_uuid>/", views.award_page, name="award"),
    path(
        "awards/<str:award_uuid>/certificate.pdf",
        views.award_certificate,
        name="award_certificate",
    ),
    path("<slug:slug>/", views.badge_detail, name="detail"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
]
