from django.urls import path

from clea.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nouvelle/", views.organisation_create, name="create"),
    path("changer/", views.switch, name="switch"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.organisation_edit, name="edit"),
    path("<uuid:public_id>/habilitations/nouvelle/", views.habilitation_create, name="habilitation_create"),
    path("<uuid:public_id>/membres/ajouter/", views.member_add, name="member_add"),
    path(
        "<uuid:public_id>/membres/<uuid:membership_id>/retrait/",
        views.member_remove,
        name="member_remove",
    ),
]
