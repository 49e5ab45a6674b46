from django.urls import path

from tenant_apps.opendata import views

app_name = "opendata"
urlpatterns = [
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/licence/", views.set_licence, name="set_licence"),
    path("studio/<int:provider_id>/calendars/", views.calendars, name="calendars"),
    path(
        "studio/<int:provider_id>/calendars/<int:calendar_id>/remove/",
        views.remove_calendar,
        name="remove_calendar",
    ),
    path(
        "studio/<int:provider_id>/calendars/<int:calendar_id>/sync/",
        views.sync_calendar,
        name="sync_calendar",
    ),
]
