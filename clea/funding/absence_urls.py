"""Absence authorisation requests: the employer's list and answers, the evaluator's request (root-mounted)."""

from django.urls import path

from clea.funding import views_absences

app_name = "absences"
urlpatterns = [
    path("absences/", views_absences.absence_list, name="list"),
    path("absences/<uuid:public_id>/", views_absences.absence_answer, name="answer"),
    path("absences/dossiers/<uuid:public_id>/financement/", views_absences.employer_funding, name="employer_funding"),
    path("dossiers/<uuid:public_id>/absence/", views_absences.absence_create, name="create"),
]
