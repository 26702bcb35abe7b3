"""Absence authorisation requests: the employer's list and answers, the evaluator's request (root-mounted)."""

from django.urls import path

from clea.absences import views, views_funding

app_name = "absences"
urlpatterns = [
    path("absences/", views.absence_list, name="list"),
    path("absences/<uuid:public_id>/", views.absence_answer, name="answer"),
    path("absences/dossiers/<uuid:public_id>/financement/", views_funding.employer_funding, name="employer_funding"),
    path(
        "absences/financements/<uuid:public_id>/modifier/",
        views_funding.employer_funding_edit,
        name="employer_funding_edit",
    ),
    path("dossiers/<uuid:public_id>/absence/", views.absence_create, name="create"),
]
