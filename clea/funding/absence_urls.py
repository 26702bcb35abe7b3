from django.urls import path

from clea.funding import views_absences

app_name = "absences"
urlpatterns = [
    path("", views_absences.absence_list, name="list"),
    path("<uuid:public_id>/", views_absences.absence_answer, name="answer"),
    path("dossiers/<uuid:public_id>/financement/", views_absences.employer_funding, name="employer_funding"),
]
