from django.urls import path

from clea.privacy import views

app_name = "privacy"
urlpatterns = [
    path("espace/mes-donnees/", views.mine, name="mine"),
    path("espace/mes-donnees/<uuid:public_id>/retrait/", views.ask, {"action": "retrait"}, name="withdraw_consent"),
    path("espace/mes-donnees/<uuid:public_id>/effacement/", views.ask, {"action": "effacement"}, name="erasure"),
    path("espace/mes-donnees/<uuid:public_id>/garder/", views.keep, name="keep"),
    path("donnees-personnelles/", views.request_list, name="list"),
    path("donnees-personnelles/<uuid:public_id>/", views.handle, name="handle"),
]
