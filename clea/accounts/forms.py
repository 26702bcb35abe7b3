from django import forms
from django.contrib.auth.forms import AdminUserCreationForm as BaseAdminCreationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm

from clea.accounts.models import User


class AdminUserCreationForm(BaseAdminCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class AdminUserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class EmailAuthenticationForm(AuthenticationForm):
    """The login form; the field keeps Django's name "username" but asks for the e-mail address."""

    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }
