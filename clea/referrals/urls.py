from django.urls import path

from clea.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("nouvelle/", views.referral_create, name="create"),
    path("<uuid:public_id>/declin/", views.referral_decline, name="decline"),
]
