from django.urls import path

from tenant_apps.deserts import views

app_name = "deserts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("run/", views.run_now, name="run"),
    path("export.<str:fmt>", views.export, name="export"),
    path("population/", views.population_upload, name="population"),
]
