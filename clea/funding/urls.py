from django.urls import path

from clea.funding import views_fees

app_name = "funding"
urlpatterns = [
    path("", views_fees.fee_index, name="fee_index"),
    path("<uuid:public_id>/<int:year>/<int:month>/", views_fees.statement_page, name="statement"),
    path("<uuid:public_id>/<int:year>/<int:month>/releve.csv", views_fees.statement_csv, name="statement_csv"),
    path("<uuid:public_id>/<int:year>/<int:month>/releve.pdf", views_fees.statement_pdf, name="statement_pdf"),
]
