from django.urls import path

from shared_apps.guardians import views

app_name = "guardians"
urlpatterns = [
    path("", views.account, name="account"),
    path("my-data.json", views.my_data, name="my_data"),
    path("guardian/<str:token>/", views.guardian, name="guardian"),
]
