from django.urls import path

from clea.dossiers import views_referrals

app_name = "referrals"
urlpatterns = [
    path("", views_referrals.referral_list, name="list"),
    path("nouvelle/", views_referrals.referral_create, name="create"),
    path("<uuid:public_id>/declin/", views_referrals.referral_decline, name="decline"),
]
