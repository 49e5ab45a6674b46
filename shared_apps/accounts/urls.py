from django.urls import path

from shared_apps.accounts import views

app_name = "sso"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("issue/", views.issue, name="issue"),
    path("accept/", views.accept, name="accept"),
]
