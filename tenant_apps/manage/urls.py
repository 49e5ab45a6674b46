from django.urls import path

from tenant_apps.manage import views

app_name = "manage"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.settings_view, name="settings"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_id>/role/", views.change_role, name="change_role"),
]
