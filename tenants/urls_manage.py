from django.urls import path

from tenants import views

app_name = "domains"
# Included under /manage/domains/ on territory hosts.
urlpatterns = [
    path("", views.domains, name="list"),
    path("<int:domain_id>/verify/", views.verify, name="verify"),
    path("<int:domain_id>/remove/", views.remove, name="remove"),
]
