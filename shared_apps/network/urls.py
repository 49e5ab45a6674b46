from django.urls import path

from shared_apps.network import views

app_name = "network"
urlpatterns = [
    path("", views.home, name="home"),
]
