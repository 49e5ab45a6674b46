from django.urls import path

from shared_apps.backpack import views

app_name = "backpack"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:entry_id>/sharing/", views.sharing, name="sharing"),
    path("shared/<str:token>/", views.shared, name="shared"),
]
