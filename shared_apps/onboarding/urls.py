from django.urls import path

from shared_apps.onboarding import views

app_name = "onboarding"
# On the network site, under /join/.
urlpatterns = [
    path("", views.start, name="start"),
    path("step/administrator/code/", views.email_code, name="email_code"),
    path("step/<slug:step>/", views.step_view, name="step"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("restart/", views.restart, name="restart"),
    path("done/", views.done, name="done"),
    path("preparing/", views.preparing, name="preparing"),
    path("check-address/", views.check_address, name="check_address"),
    path("preview/", views.preview, name="preview"),
    path("terms/", views.document, {"kind": "terms"}, name="terms"),
    path("dpa/", views.document, {"kind": "dpa"}, name="dpa"),
]
