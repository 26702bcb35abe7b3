from django.urls import path

from clea.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nouveau/", views.dossier_open, name="open"),
    path("transfert/", views.transfer_request, name="transfer_request"),
    path("<uuid:public_id>/", views.dossier_detail, name="detail"),
    path("<uuid:public_id>/reunion/", views.meeting_create, name="meeting"),
    path("<uuid:public_id>/abandon/", views.dossier_withdraw, name="withdraw"),
    path("<uuid:public_id>/cloture/", views.dossier_close, name="close"),
    path("<uuid:public_id>/jury/", views.dossier_submit, name="submit"),
    path("<uuid:public_id>/employeur/", views.employer_involve, name="employer_involve"),
    path("<uuid:public_id>/employeur/retrait/", views.employer_end, name="employer_end"),
    path("<uuid:public_id>/transferts/<uuid:transfer_id>/", views.transfer_answer, name="transfer_answer"),
]
