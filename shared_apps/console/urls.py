from django.urls import path

from shared_apps.console import api, views

app_name = "console"
urlpatterns = [
    path("", views.index, name="index"),
    path("audit/", views.network_audit, name="audit"),
    path("t/<slug:slug>/", views.territory, name="territory"),
    path("t/<slug:slug>/lifecycle/", views.lifecycle, name="lifecycle"),
    path("t/<slug:slug>/enter/", views.enter, name="enter"),
    path("api/territories/", api.TerritoriesView.as_view(), name="api-territories"),
    path("api/territories/<slug:slug>/", api.TerritoryView.as_view(), name="api-territory"),
]
