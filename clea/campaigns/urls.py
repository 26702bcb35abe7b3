from django.urls import path

from clea.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("nouvelle/", views.campaign_create, name="create"),
    path("<uuid:public_id>/", views.campaign_detail, name="detail"),
    path("<uuid:public_id>/candidater/", views.apply, name="apply"),
    path("candidatures/<uuid:public_id>/", views.application_detail, name="application"),
    path("candidatures/<uuid:public_id>/regions/", views.application_regions, name="regions"),
    path("candidatures/<uuid:public_id>/etablissements/", views.establishment_add, name="establishment_add"),
    path(
        "candidatures/<uuid:public_id>/etablissements/<uuid:establishment_id>/retrait/",
        views.establishment_remove,
        name="establishment_remove",
    ),
    path("candidatures/<uuid:public_id>/pieces/", views.document_upload, name="document_upload"),
    path("candidatures/<uuid:public_id>/depot/", views.application_submit, name="submit"),
    path("candidatures/<uuid:public_id>/complements/", views.request_more, name="request_more"),
    path("candidatures/<uuid:public_id>/decision/", views.decide, name="decide"),
    path("pieces/<uuid:public_id>/", views.document_download, name="document"),
    path("pieces/<uuid:public_id>/verification/", views.document_check, name="document_check"),
]
