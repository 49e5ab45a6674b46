from django.urls import path

from shared_apps.billing import views

app_name = "billing"
# Included under /manage/billing/ on territory hosts.
urlpatterns = [
    path("", views.billing, name="page"),
    path("checkout/", views.checkout, name="checkout"),
    path("portal/", views.portal, name="portal"),
]
