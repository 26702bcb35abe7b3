from django.urls import path

from clea.meetings import views, views_person, views_slots

app_name = "meetings"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("organismes/<uuid:public_id>/", views.request_create, name="create"),
    path("<uuid:public_id>/date/", views.request_propose, name="propose"),
    path("<uuid:public_id>/creneau/", views_slots.request_book, name="book"),
    path("<uuid:public_id>/cloture/", views.request_close, name="close"),
    path("creneaux/", views_slots.slot_list, name="slots"),
    path("creneaux/nouveau/", views_slots.slot_create, name="slot_create"),
    path("creneaux/<uuid:public_id>/", views_slots.slot_detail, name="slot_detail"),
    path("creneaux/<uuid:public_id>/annulation/", views_slots.slot_cancel, name="slot_cancel"),
    path("creneaux/<uuid:public_id>/suppression/", views_slots.slot_delete, name="slot_delete"),
    path("creneaux/<uuid:public_id>/presences/", views_slots.slot_attendance, name="slot_attendance"),
    # The person's page, by the signed link of their e-mails (no account).
    path("ma-reunion/<str:token>/", views_person.person, name="person"),
    path("ma-reunion/<str:token>/annulation/", views_person.person_cancel, name="person_cancel"),
]
