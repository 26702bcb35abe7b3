from django.urls import path

from clea.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("organisations/<uuid:public_id>/resume/", views.digest, name="digest"),
]
