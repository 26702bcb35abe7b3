from django.urls import path

from clea.referentiel import views

app_name = "referentiel"
urlpatterns = [
    path("", views.version_list, name="list"),
    path("importer/", views.version_import, name="import"),
    path("comparer/", views.version_compare, name="compare"),
    path("<uuid:public_id>/", views.version_detail, name="detail"),
    path("<uuid:public_id>/export.json", views.version_export, {"fmt": "json"}, name="export_json"),
    path("<uuid:public_id>/export.csv", views.version_export, {"fmt": "csv"}, name="export_csv"),
    path("<uuid:public_id>/mise-en-vigueur/", views.version_activate, name="activate"),
    path("<uuid:public_id>/archivage/", views.version_archive, name="archive"),
    path("<uuid:public_id>/suppression/", views.version_delete, name="delete"),
]
