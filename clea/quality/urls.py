from django.urls import path

from clea.quality import views, views_audits

app_name = "quality"
urlpatterns = [
    path("habilitations/<uuid:public_id>/retrait/", views.withdraw, name="withdraw"),
    path("habilitations/<uuid:public_id>/suspension/", views.suspend, name="suspend"),
    path("suspensions/<uuid:public_id>/levee/", views.lift, name="lift"),
    path("signaux/", views_audits.signals_view, name="signals"),
    path("audits/", views_audits.audit_list, name="audits"),
    path("audits/nouveau/", views_audits.audit_create, name="audit_create"),
    path("audits/<uuid:public_id>/", views_audits.audit_detail, name="audit"),
    path("audits/organismes/<uuid:public_id>/", views_audits.audited_detail, name="audited"),
    path("audits/organismes/<uuid:public_id>/envoi/", views_audits.audit_send, name="audit_send"),
    path("audits/organismes/<uuid:public_id>/conclusion/", views_audits.audit_conclude, name="audit_conclude"),
    path("audits/dossiers/<uuid:public_id>/reponse/", views_audits.audit_answer, name="audit_answer"),
    path("audits/pieces/<uuid:public_id>/", views_audits.audit_document, name="audit_document"),
]
