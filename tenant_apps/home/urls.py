from django.urls import path

from tenant_apps.home import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
]
