from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy

from clea.accounts import second_factor
from clea.accounts.forms import EmailAuthenticationForm
from clea.accounts.memberships import active_memberships


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    extra_context = {"title": "Choisir un mot de passe"}

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe est enregistré. Vous pouvez vous connecter.")
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    extra_context = {"title": "Changer de mot de passe"}

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été changé.")
        return super().form_valid(form)


def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "title": "Mon compte",
            "memberships": active_memberships(request.user),
            "second_factor": {
                "enrolled": second_factor.is_enrolled(request.user),
                "required": second_factor.required_for(request.user),
            },
        },
    )
