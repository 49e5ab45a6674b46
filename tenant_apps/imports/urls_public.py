from django.urls import path

from tenant_apps.imports import views

app_name = "open_catalogue"
urlpatterns = [
    path("activities.csv", views.catalogue_csv, name="csv"),
]
