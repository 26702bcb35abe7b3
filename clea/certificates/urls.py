"""Mounted at /certificats/: the certifier's screens, and the record of acquired skills of a dossier."""

from django.urls import path

from clea.certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<uuid:public_id>/emettre/", views.session_issue, name="session_issue"),
    path("envois/", views.batch_list, name="batches"),
    path("envois/nouveau/", views.batch_create, name="batch_create"),
    path("envois/<uuid:public_id>/", views.batch_detail, name="batch_detail"),
    path("envois/<uuid:public_id>/courriers.pdf", views.batch_pdf, name="batch_pdf"),
    path("envois/<uuid:public_id>/envoye/", views.batch_sent, name="batch_sent"),
    path("courriers/<uuid:public_id>/envoye/", views.mailing_sent, name="mailing_sent"),
    path("courriers/<uuid:public_id>/retour/", views.mailing_returned, name="mailing_returned"),
    path("courriers/<uuid:public_id>/renvoi/", views.mailing_resend, name="mailing_resend"),
    path("courriers/<uuid:public_id>/courrier.pdf", views.mailing_pdf, name="mailing_pdf"),
    path("cpf/", views.cpf_home, name="cpf"),
    path("cpf/export/", views.cpf_export, name="cpf_export"),
    path("cpf/accuse/", views.cpf_ack_import, name="cpf_ack_import"),
    path("cpf/retards/", views.cpf_overdue, name="cpf_overdue"),
    path("cpf/parametres/", views.cpf_settings, name="cpf_settings"),
    path("cpf/incompletes/", views.cpf_blocked, name="cpf_blocked"),
    path("cpf/<uuid:public_id>.xml", views.cpf_export_download, name="cpf_export_download"),
    path("dossiers/<uuid:public_id>/attestation.pdf", views.skills_record_pdf, name="skills_record"),
    path("<uuid:public_id>/", views.certificate_detail, name="detail"),
    path("<uuid:public_id>/certificat.pdf", views.certificate_pdf, name="pdf"),
    path("<uuid:public_id>/duplicata/", views.certificate_duplicate, name="duplicate"),
    path("<uuid:public_id>/retrait/", views.certificate_revoke, name="revoke"),
]
