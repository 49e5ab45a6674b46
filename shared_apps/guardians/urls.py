from django.urls import path

from shared_apps.guardians import views

app_name = "guardians"
urlpatterns = [
    path("", views.account, name="account"),
    path("my-data.json", views.my_data, name="my_data"),
    path("guardian/", views.guardian_new_link, name="guardian_new_link"),
    path("guardian/<str:token>/", views.guardian, name="guardian"),
    path("cards/new/", views.cards_new, name="cards_new"),
    path("cards/<uuid:batch>/", views.cards_print, name="cards_print"),
    path("card/", views.card_redeem, name="card_redeem"),
    path("card/sign-in/", views.card_sign_in, name="card_sign_in"),
]
