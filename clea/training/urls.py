"""Training paths of a dossier (mounted under ``dossiers/``)."""

from django.urls import path

from clea.training import views

app_name = "training"
urlpatterns = [
    path("<uuid:public_id>/parcours/", views.path_create, name="path_create"),
    path("<uuid:public_id>/parcours/<uuid:path_id>/avancement/", views.progress_create, name="progress_create"),
]
