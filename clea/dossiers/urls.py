from django.urls import path

from clea.candidates import views as candidate_views
from clea.dossiers import views
from clea.evaluations import views as evaluation_views
from clea.funding import views as funding_views
from clea.funding import views_absences as absence_views
from clea.training import views as training_views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nouveau/", views.dossier_open, name="open"),
    path("transfert/", views.transfer_request, name="transfer_request"),
    path("financements.csv", funding_views.funding_export, name="funding_export"),
    path("<uuid:public_id>/", views.dossier_detail, name="detail"),
    path("<uuid:public_id>/reunion/", views.meeting_create, name="meeting"),
    path("<uuid:public_id>/abandon/", views.dossier_withdraw, name="withdraw"),
    path("<uuid:public_id>/cloture/", views.dossier_close, name="close"),
    path("<uuid:public_id>/jury/", views.dossier_submit, name="submit"),
    path("<uuid:public_id>/transferts/<uuid:transfer_id>/", views.transfer_answer, name="transfer_answer"),
    path("<uuid:public_id>/resultats/", evaluation_views.results, name="results"),
    path("<uuid:public_id>/resultats.pdf", evaluation_views.results_pdf, name="results_pdf"),
    path("<uuid:public_id>/evaluations/<str:kind>/", evaluation_views.evaluation_start, name="evaluation_start"),
    path("<uuid:public_id>/evaluations/<uuid:evaluation_id>/grille/", evaluation_views.grid, name="grid"),
    path(
        "<uuid:public_id>/evaluations/<uuid:evaluation_id>/grille/<str:code>/",
        evaluation_views.grid_cell,
        name="grid_cell",
    ),
    path(
        "<uuid:public_id>/evaluations/<uuid:evaluation_id>/seances/",
        evaluation_views.sitting_create,
        name="sitting_create",
    ),
    path(
        "<uuid:public_id>/evaluations/<uuid:evaluation_id>/cloture/",
        evaluation_views.evaluation_close,
        name="evaluation_close",
    ),
    path("<uuid:public_id>/parcours/", training_views.path_create, name="path_create"),
    path(
        "<uuid:public_id>/parcours/<uuid:path_id>/avancement/", training_views.progress_create, name="progress_create"
    ),
    path("<uuid:public_id>/financements/", funding_views.funding_create, name="funding_create"),
    path("<uuid:public_id>/absence/", absence_views.absence_create, name="absence_create"),
    path("<uuid:public_id>/invitation/", candidate_views.invite, name="invite_candidate"),
]
