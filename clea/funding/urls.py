"""Funding lines of dossiers and the fee statements of evaluator organisations (mounted at the root)."""

from django.urls import include, path

from clea.funding import views, views_fees

app_name = "funding"
fee_patterns = [
    path("", views_fees.fee_index, name="fee_index"),
    path("<uuid:public_id>/<int:year>/<int:month>/", views_fees.statement_page, name="statement"),
    path("<uuid:public_id>/<int:year>/<int:month>/releve.csv", views_fees.statement_csv, name="statement_csv"),
    path("<uuid:public_id>/<int:year>/<int:month>/releve.pdf", views_fees.statement_pdf, name="statement_pdf"),
]
urlpatterns = [
    path("redevances/", include(fee_patterns)),
    path("dossiers/financements.csv", views.funding_export, name="export"),
    path("dossiers/<uuid:public_id>/financements/", views.funding_create, name="create"),
]
