from django.urls import path

from tenant_apps.catalogue.views import review

app_name = "catalogue_review"
urlpatterns = [
    path("", review.overview, name="overview"),
    path("providers/", review.providers, name="providers"),
    path("providers/invitations/", review.provider_invitations, name="provider_invitations"),
    path(
        "providers/invitations/<int:invitation_id>/<slug:decision>/",
        review.provider_invitation_decision,
        name="provider_invitation_decision",
    ),
    path("providers/<int:provider_id>/", review.provider_review, name="provider"),
    path(
        "providers/<int:provider_id>/<slug:decision>/",
        review.provider_decision,
        name="provider_decision",
    ),
    path("activities/<int:activity_id>/", review.activity_review, name="activity"),
    path(
        "activities/<int:activity_id>/<slug:decision>/",
        review.activity_decision,
        name="activity_decision",
    ),
    path("interests/", review.interests, name="interests"),
    path("interests/new/", review.interest_form, name="new_interest"),
    path("interests/<int:interest_id>/", review.interest_form, name="interest"),
]
