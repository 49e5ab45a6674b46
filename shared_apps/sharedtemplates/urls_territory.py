from django.urls import path

from shared_apps.sharedtemplates import views

app_name = "territory_templates"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("<int:template_id>/adopt/", views.territory_adopt, name="adopt"),
]
