from django.urls import path

from shared_apps.console import views

app_name = "territory_audit"
urlpatterns = [
    path("", views.territory_audit, name="list"),
]
