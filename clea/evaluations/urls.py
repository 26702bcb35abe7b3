"""Évaluations of a dossier (mounted under ``dossiers/``): start, sittings, grid, closing, results."""

from django.urls import path

from clea.evaluations import views

app_name = "evaluations"
EVALUATION = "<uuid:public_id>/evaluations/<uuid:evaluation_id>/"
urlpatterns = [
    path("<uuid:public_id>/resultats/", views.results, name="results"),
    path("<uuid:public_id>/resultats.pdf", views.results_pdf, name="results_pdf"),
    path("<uuid:public_id>/evaluations/<str:kind>/", views.evaluation_start, name="start"),
    path(f"{EVALUATION}grille/", views.grid, name="grid"),
    path(f"{EVALUATION}grille/<str:code>/", views.grid_cell, name="grid_cell"),
    path(f"{EVALUATION}seances/", views.sitting_create, name="sitting_create"),
    path(f"{EVALUATION}cloture/", views.evaluation_close, name="close"),
]
