"""The candidate's space: short sentences, one action per screen, plain words."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.accounts import oidc
from clea.accounts.models import IdentityProvider
from clea.candidates import services
from clea.candidates.access import get_own_dossier_or_404
from clea.certificates import documents
from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.presentation import STEP_OF_STATE, STEPS
from clea.dossiers.views import require_work
from clea.dossiers.workflow import State
from clea.evaluations.plain import EXPLAINED, FINAL_AHEAD, step_text
from clea.evaluations.restitution import restitution_for, restitution_pdf
from clea.evaluations.services import dossier_assessment
from clea.lib.errors import RuleViolation


class ActivationForm(forms.Form):
    password1 = forms.CharField(
        label="Choisissez un mot de passe", widget=forms.PasswordInput, help_text="12 caractères au moins."
    )
    password2 = forms.CharField(label="Écrivez-le une deuxième fois", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "Les deux mots de passe sont différents.")
        return cleaned


@require_POST
def invite(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    try:
        services.invite(dossier, by=request.user, base_url=request.build_absolute_uri("/"))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Invitation envoyée à {dossier.candidate.email}.")
    return redirect("dossiers:detail", public_id=dossier.public_id)


def link_problem(request, exc: RuleViolation) -> HttpResponse:
    """An invitation link that no longer opens anything: unknown (404), used or expired (409)."""
    return render(
        request,
        "candidates/link_problem.html",
        {"title": "Lien non valable", "message": exc.message},
        status=exc.status if exc.status != 400 else 404,
    )


@login_not_required
def activate(request, token):
    try:
        invitation = services.find_invitation(token)
    except RuleViolation as exc:
        return link_problem(request, exc)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.activate(token, password=form.cleaned_data["password1"])
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Votre espace est prêt.")
            return redirect("candidates:home")
    return render(
        request,
        "candidates/activate.html",
        {
            "title": "Activer mon espace",
            "form": form,
            "email": invitation.candidate.email,
            "token": token,
            "franceconnect": oidc.is_enabled(IdentityProvider.FRANCECONNECT),
        },
        status=400 if form.errors else 200,
    )


def home(request):
    if not hasattr(request.user, "candidate_account"):
        raise Http404("Pas d'espace candidat pour ce compte.")
    today = timezone.localdate()
    cards = []
    for dossier in (
        services.own_dossiers(request.user).prefetch_related("certificates").select_related("referral__prescriber")
    ):
        step = STEP_OF_STATE[State(dossier.state)]
        cards.append(
            {
                "dossier": dossier,
                "step": step,
                "step_title": STEPS[step - 1] if step else dossier.state_label,
                "restitution": restitution_for(dossier, today),
                "certificate": _valid_certificate(dossier) if dossier.state == State.CERTIFIED else None,
                "referral": getattr(dossier, "referral", None),
                "step_text": step_text(dossier.state),
                "final_ahead": State(dossier.state) in FINAL_AHEAD,
            }
        )
    return render(
        request,
        "candidates/home.html",
        {"title": "Mon parcours CléA", "cards": cards, "steps": STEPS, "explained": EXPLAINED},
    )


def results_pdf(request, public_id):
    dossier = get_own_dossier_or_404(request.user, public_id)
    pdf = restitution_pdf(dossier, timezone.localdate(), base_url=request.build_absolute_uri("/"))
    return _pdf(pdf, "mes-resultats-clea.pdf")


def certificate_pdf(request, public_id):
    dossier = get_own_dossier_or_404(request.user, public_id)
    certificate = _valid_certificate(dossier)
    if certificate is None:
        raise Http404("Pas de certificat pour ce dossier.")
    return _pdf(documents.certificate_pdf(certificate), "certificat-clea.pdf")


def skills_record_pdf(request, public_id):
    dossier = get_own_dossier_or_404(request.user, public_id)
    if not dossier.initial_assessment_date or dossier.state == State.CERTIFIED:
        raise Http404("Pas d'attestation pour ce dossier.")
    html = documents.render_skills_record(dossier, dossier_assessment(dossier), today=timezone.localdate())
    return _pdf(documents.write_pdf(html), "attestation-competences.pdf")


@require_POST
def share_results(request, public_id):
    """The person decides whether the prescriber who oriented them may see their results."""
    dossier = get_own_dossier_or_404(request.user, public_id)
    referral = getattr(dossier, "referral", None)
    if referral is None:
        raise Http404("Pas de prescripteur pour ce dossier.")
    referral.share_results = request.POST.get("share") == "oui"
    referral.save(update_fields=["share_results"])
    messages.success(request, "Votre choix est enregistré.")
    return redirect("candidates:home")


def my_data(request):
    if not hasattr(request.user, "candidate_account"):
        raise Http404("Pas d'espace candidat pour ce compte.")
    response = JsonResponse(
        services.personal_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-clea.json"'
    return response


def _valid_certificate(dossier):
    return next((c for c in dossier.certificates.all() if c.revoked_at is None), None)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
