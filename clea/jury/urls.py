from django.urls import path

from clea.jury import views

app_name = "jury"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("nouvelle/", views.session_create, name="create"),
    path("<uuid:public_id>/", views.session_detail, name="detail"),
    path("<uuid:public_id>/membres/", views.member_add, name="member_add"),
    path("<uuid:public_id>/presences/", views.attendance, name="attendance"),
    path("<uuid:public_id>/dossiers/", views.put_on_session, name="put_on_session"),
    path("<uuid:public_id>/decisions/sans-anomalie/", views.award_clean, name="award_clean"),
    path("<uuid:public_id>/decisions/<uuid:entry_id>/", views.decide, name="decide"),
    path("<uuid:public_id>/cloture/", views.close, name="close"),
    path("<uuid:public_id>/proces-verbal.pdf", views.minutes, name="minutes"),
]
