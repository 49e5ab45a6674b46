from django.urls import path

from shared_apps.sharedtemplates import views

app_name = "network_templates"
urlpatterns = [
    path("", views.network_list, name="list"),
    path("new/<slug:kind>/", views.network_new, name="new"),
    path("<int:template_id>/", views.network_edit, name="edit"),
]
