from django.urls import path

from tenant_apps.accessibility import views

app_name = "accessibility"
urlpatterns = [
    path("accessibility/", views.statement, name="statement"),
    path("manage/accessibility/", views.edit, name="edit"),
]
