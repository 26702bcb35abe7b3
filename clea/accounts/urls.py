from django.contrib.auth import views as auth_views
from django.urls import path

from clea.accounts import views, views_oidc, views_second_factor, views_sessions

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views_oidc.logout_view, name="logout"),
    path("connexion/proconnect/", views_oidc.proconnect_start, name="proconnect_start"),
    path("connexion/proconnect/retour/", views_oidc.proconnect_callback, name="proconnect_callback"),
    path("identites/<str:provider>/retrait/", views_oidc.unlink, name="identity_unlink"),
    path("", views.profile, name="profile"),
    path("sessions/", views_sessions.session_list, name="sessions"),
    path("sessions/fermeture/", views_sessions.end_others, name="sessions_end_others"),
    path("double-authentification/activation/", views_second_factor.enrol, name="second_factor_enrol"),
    path("double-authentification/code/", views_second_factor.verify, name="second_factor_verify"),
    path("double-authentification/codes-de-secours/", views_second_factor.recovery, name="second_factor_recovery"),
    path(
        "double-authentification/codes-de-secours/nouveaux/",
        views_second_factor.new_recovery_codes,
        name="second_factor_new_codes",
    ),
    path("double-authentification/desactivation/", views_second_factor.turn_off, name="second_factor_off"),
    path(
        "double-authentification/reinitialisation/<uuid:public_id>/",
        views_second_factor.reset,
        name="second_factor_reset",
    ),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html",
            extra_context={"title": "Message envoyé"},
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
