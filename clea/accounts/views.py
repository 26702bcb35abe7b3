from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from clea.accounts import oidc, second_factor
from clea.accounts.forms import EmailAuthenticationForm
from clea.accounts.memberships import active_memberships, is_candidate
from clea.accounts.models import IdentityProvider


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = context.get("next") or ""
        context["proconnect"] = oidc.is_enabled(IdentityProvider.PROCONNECT)
        context["franceconnect"] = oidc.is_enabled(IdentityProvider.FRANCECONNECT)
        context["next_query"] = f"?{urlencode({'next': next_url})}" if next_url else ""
        return context


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
    linked = {identity.provider: identity for identity in request.user.external_identities.all()}
    return render(
        request,
        "accounts/profile.html",
        {
            "title": "Mon compte",
            "memberships": active_memberships(request.user),
            "identities": [
                {
                    "provider": provider,
                    "label": label,
                    "linked": linked.get(provider),
                    "start_url": _link_url(provider, is_candidate=is_candidate(request.user)),
                }
                for provider, label in IdentityProvider.choices
                if oidc.is_enabled(provider) or provider in linked
            ],
            "second_factor": {
                "enrolled": second_factor.is_enrolled(request.user),
                "required": second_factor.required_for(request.user),
            },
        },
    )


def _link_url(provider: str, *, is_candidate: bool) -> str | None:
    """Professionals link ProConnect, candidates FranceConnect; only an enabled service can be linked."""
    if not oidc.is_enabled(provider):
        return None
    if provider == IdentityProvider.PROCONNECT and not is_candidate:
        return reverse("accounts:proconnect_start")
    if provider == IdentityProvider.FRANCECONNECT and is_candidate:
        return reverse("candidates:franceconnect_start")
    return None
