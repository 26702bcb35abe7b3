from django.urls import path

from clea.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("organismes/<uuid:public_id>/", views.request_create, name="create"),
    path("<uuid:public_id>/date/", views.request_propose, name="propose"),
    path("<uuid:public_id>/cloture/", views.request_close, name="close"),
]
