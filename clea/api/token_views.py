"""« Mon compte › Jetons d'API »: create (shown once), list, revoke; the certifier lists and revokes any."""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.accounts.memberships import is_certifier, is_professional
from clea.api import tokens
from clea.api.models import ApiToken, Scope
from clea.lib.access import get_or_404
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.pagination import CappedPaginator

SESSION_KEY = "new_api_token"


class TokenForm(forms.Form):
    name = forms.CharField(label="Nom du jeton", max_length=100, help_text="L'outil qui l'utilise, par exemple.")
    organisation = forms.ChoiceField(
        label="Organisation pour laquelle il agit", widget=forms.Select(attrs={"class": "fr-select"})
    )
    scope = forms.ChoiceField(
        label="Opérations permises", choices=Scope.choices, widget=forms.Select(attrs={"class": "fr-select"})
    )
    expires_on = forms.DateField(
        label="Expire le",
        help_text=f"Au plus dans {tokens.MAX_DAYS} jours.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.public_id): o for o in organisations}
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            (key, o.name) for key, o in self.organisations.items()
        ]
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=tokens.DEFAULT_DAYS)


def _professional(request):
    if not is_professional(request.user):
        raise PermissionDenied("Les jetons d'API sont réservés aux professionnels.")


def token_list(request):
    _professional(request)
    organisations = request.current.organisations  # every organisation the person belongs to
    form = TokenForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, raw = tokens.issue_token(
                request.user,
                organisation=form.organisations[data["organisation"]],
                name=data["name"],
                scope=data["scope"],
                expires_on=data["expires_on"],
                today=timezone.localdate(),
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            request.session[SESSION_KEY] = raw
            messages.success(request, "Jeton créé : copiez-le maintenant, il ne sera plus affiché.")
            return redirect("tokens:list")
    own = ApiToken.objects.filter(user=request.user).select_related("organisation")
    response = render(
        request,
        "api/tokens.html",
        {
            "title": "Mes jetons d'API",
            "form": form if organisations else None,
            "tokens": own,
            "new_token": request.session.pop(SESSION_KEY, None),
            "now": timezone.now(),
            "certifier": is_certifier(request.user),
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"  # the new token is on this page once: not in any cache
    return response


def all_tokens(request):
    if not is_certifier(request.user):
        raise PermissionDenied("Réservé au certificateur.")
    usable = ApiToken.objects.usable().select_related("user", "organisation").order_by("-created_at", "-pk")
    page = CappedPaginator(usable, 50).get_page(request.GET.get("page"))
    return render(request, "api/all_tokens.html", {"title": "Jetons d'API en service", "page_obj": page})


@require_POST
def token_revoke(request, public_id):
    _professional(request)
    token = get_or_404(tokens.revocable_by(request.user), public_id, "Jeton introuvable.")
    try:
        tokens.revoke(token, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Jeton « {token.name} » révoqué : il ne fonctionne plus.")
    return redirect("tokens:all" if token.user_id != request.user.pk else "tokens:list")
