from django.urls import path

from clea.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.directory, name="search"),
    path("<uuid:public_id>/", views.organisation, name="detail"),
]
