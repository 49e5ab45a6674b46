from django.urls import path

from tenant_apps.deserts import views

app_name = "deserts_network"
urlpatterns = [
    path("", views.network_comparison, name="comparison"),
]
