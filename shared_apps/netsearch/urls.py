from django.urls import path

from shared_apps.netsearch import views

app_name = "netsearch"
urlpatterns = [
    path("", views.search, name="search"),
]
