from django.urls import path

from tenant_apps.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    path("<str:pk>/", views.job_page, name="job"),
    path("<str:pk>/progress/", views.progress, name="progress"),
]
