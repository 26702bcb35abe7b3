"""The second factor's screens: enrol (first login), type a code, new recovery codes, turn off (where
allowed), and the lost-device reset by a certifier administrator."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from clea.accounts import second_factor, sessions
from clea.accounts.memberships import active_memberships
from clea.accounts.models import SecondFactorReset
from clea.lib.access import get_or_404
from clea.lib.roles import OrganisationKind, Role

RECOVERY_KEY = "second_factor_recovery_codes"
WRONG = "Code incorrect, expiré ou déjà utilisé. Tapez le code affiché maintenant par votre application."
TOO_MANY = "Trop de codes erronés : attendez quelques secondes, puis tapez le code affiché maintenant."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres (ou un code de secours)",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "fr-input"}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label="Motif (appareil perdu, changé…) : il est enregistré",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else "/tableau-de-bord/"


def enrol(request):
    if second_factor.is_enrolled(request.user):
        if not request.user.is_verified():
            return redirect("accounts:second_factor_verify")
        messages.info(request, "Votre double authentification est déjà activée.")
        return redirect("accounts:profile")
    device = second_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = second_factor.throttled(request.user)  # before the try: a wrong code starts a wait
        confirmed = second_factor.confirm_enrolment(request.user, form.cleaned_data["code"])
        if confirmed is None:
            form.add_error("code", TOO_MANY if waiting else WRONG)
        else:
            otp_login(request, confirmed[0])
            request.session[RECOVERY_KEY] = confirmed[1]
            request.session[second_factor.ENROLLED_KEY] = True
            messages.success(request, "Double authentification activée.")
            return redirect(f"{reverse('accounts:second_factor_recovery')}?{urlencode({'next': _next(request)})}")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Code QR à scanner")
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "title": "Activer la double authentification",
            "form": form,
            "qr": qr,
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),  # to type it in by hand
            "required": second_factor.required_for(request.user),
            "next": _next(request),
        },
        status=400 if form.errors else 200,
    )


def verify(request):
    if not second_factor.is_enrolled(request.user):
        return redirect("accounts:second_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = second_factor.throttled(request.user)
        device = second_factor.check_code(request.user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", TOO_MANY if waiting else WRONG)
        else:
            otp_login(request, device)
            return redirect(_next(request))
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"title": "Double authentification", "form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


def recovery(request):
    """The recovery codes, once: right after enrolment, or after asking for new ones."""
    codes = request.session.pop(RECOVERY_KEY, None)
    return render(
        request,
        "accounts/second_factor_recovery.html",
        {
            "title": "Codes de secours",
            "codes": codes,
            "remaining": second_factor.remaining_recovery_codes(request.user),
            "next": _next(request),
        },
    )


def _verified(request) -> None:
    if not (request.user.is_verified() and second_factor.is_enrolled(request.user)):
        raise PermissionDenied("Validez d'abord votre code de double authentification.")


@require_POST
def new_recovery_codes(request):
    _verified(request)
    request.session[RECOVERY_KEY] = second_factor.new_recovery_codes(request.user)
    messages.success(request, "Nouveaux codes de secours : les anciens ne fonctionnent plus.")
    return redirect("accounts:second_factor_recovery")


@require_POST
def turn_off(request):
    _verified(request)
    if second_factor.required_for(request.user):
        raise PermissionDenied("La double authentification est obligatoire pour votre rôle.")
    second_factor.remove_devices(request.user)
    request.session[second_factor.ENROLLED_KEY] = False
    messages.success(request, "Double authentification désactivée.")
    return redirect("accounts:profile")


def _can_reset(user) -> bool:
    return user.is_superuser or any(
        m.role == Role.ADMIN and m.organisation.kind == OrganisationKind.CERTIFIER for m in active_memberships(user)
    )


def reset(request, public_id):
    """Lost device: a certifier administrator removes another person's second factor; they enrol again."""
    if not _can_reset(request.user):
        raise PermissionDenied("Réservé aux administrateurs du certificateur.")
    person = get_or_404(get_user_model().objects.exclude(pk=request.user.pk), public_id, "Personne introuvable.")
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            second_factor.remove_devices(person)
            # A browser left logged in (on the lost phone) must not enrol a new device without the password.
            sessions.end_other_sessions(person, keep=None)
            SecondFactorReset.objects.create(user=person, by=request.user, reason=form.cleaned_data["reason"])
            # Templates as for every e-mail; sent from here: accounts sits below the notifications app.
            subject = "[CléA] " + render_to_string("emails/second_factor_reset/subject.txt").strip()
            body = render_to_string("emails/second_factor_reset/body.txt")
            transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]))
        messages.success(request, f"Double authentification de {person.get_full_name()} réinitialisée.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/second_factor_reset.html",
        {
            "title": "Réinitialiser une double authentification",
            "person": person,
            "form": form,
            "enrolled": second_factor.is_enrolled(person),
            "history": SecondFactorReset.objects.filter(user=person).select_related("by")[:20],
        },
        status=400 if form.errors else 200,
    )
