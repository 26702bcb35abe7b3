"""The candidate's space (``espace/``) and the evaluator's invitation of a dossier's candidate (root-mounted)."""

from django.urls import include, path

from clea.candidates import views, views_franceconnect

app_name = "candidates"
space_patterns = [
    path("", views.home, name="home"),
    path("activation/<str:token>/", views.activate, name="activate"),
    path("activation/<str:token>/franceconnect/", views_franceconnect.activate, name="activate_franceconnect"),
    path("franceconnect/", views_franceconnect.start, name="franceconnect_start"),
    path("franceconnect/retour/", views_franceconnect.callback, name="franceconnect_callback"),
    path("mes-donnees.json", views.my_data, name="my_data"),
    path("dossiers/<uuid:public_id>/resultats.pdf", views.results_pdf, name="results_pdf"),
    path("dossiers/<uuid:public_id>/certificat.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("dossiers/<uuid:public_id>/attestation.pdf", views.skills_record_pdf, name="skills_record_pdf"),
    path("dossiers/<uuid:public_id>/partage/", views.share_results, name="share_results"),
]
urlpatterns = [
    path("espace/", include(space_patterns)),
    path("dossiers/<uuid:public_id>/invitation/", views.invite, name="invite"),
]
