from django.urls import path

from shared_apps.onboarding import views_territory

app_name = "onboarding_territory"
# On territory hosts, under /welcome/.
urlpatterns = [
    path("", views_territory.welcome, name="welcome"),
    path("start/<str:token>/", views_territory.handoff, name="handoff"),
]
