from django.urls import path

from tenant_apps.home import views, views_manage

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    # Under the admin area's prefix; the rest of /manage/ is tenant_apps.manage's.
    path("manage/home/", views_manage.manage_home, name="manage"),
]
