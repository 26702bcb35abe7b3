from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from clea.dossiers.forms import DATE, SELECT
from clea.dossiers.identity import validate_birth_date
from clea.dossiers.models import CandidateStatus
from clea.dossiers.permissions import can_open_dossier
from clea.evaluations.services import shared_referral_results
from clea.lib.errors import RuleViolation
from clea.lib.pagination import CappedPaginator
from clea.organisations.models import Habilitation, Organisation, OrganisationKind, Role
from clea.referentiel.models import Certification, VersionStatus
from clea.referrals import services as referrals
from clea.referrals.access import get_referral_for_user_or_404
from clea.referrals.models import Referral


class ReferralForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification",
        empty_label=None,
        widget=forms.Select(attrs=SELECT),
        queryset=Certification.objects.filter(versions__status=VersionStatus.ACTIVE).order_by("code"),
    )
    evaluator_organisation = forms.ModelChoiceField(
        label="Organisme évaluateur",
        to_field_name="public_id",
        widget=forms.Select(attrs=SELECT),
        queryset=Organisation.objects.none(),
        help_text="Organismes habilités aujourd'hui.",
    )
    birth_name = forms.CharField(label="Nom de naissance", max_length=150)
    first_names = forms.CharField(label="Prénoms", max_length=200)
    birth_date = forms.DateField(label="Date de naissance", widget=DATE, validators=[validate_birth_date])
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(label="Téléphone", required=False, max_length=20)
    candidate_status = forms.ChoiceField(
        label="Situation", choices=CandidateStatus.choices, widget=forms.Select(attrs=SELECT)
    )
    note = forms.CharField(
        label="Message à l'organisme (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    share_results = forms.BooleanField(label="La personne accepte que je voie ses résultats", required=False)
    consent = forms.BooleanField(
        label="La personne accepte d'être orientée et que ses coordonnées soient transmises",
        error_messages={"required": "Le consentement de la personne est nécessaire pour l'orienter."},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        habilitated = Habilitation.objects.valid_on(today).values("organisation")
        cast(forms.ModelChoiceField, self.fields["evaluator_organisation"]).queryset = Organisation.objects.filter(
            pk__in=habilitated, kind=OrganisationKind.EVALUATOR, is_active=True
        ).order_by("name")


def _prescriber_organisation(user, current):
    organisation = current.organisation
    if (
        organisation is None
        or organisation.kind != OrganisationKind.PRESCRIBER
        or not current.has_role(Role.ADVISER, Role.ADMIN)
    ):
        return None
    return organisation


def referral_list(request):
    items = (
        Referral.objects.visible_to(request.user)
        .select_related("prescriber", "evaluator_organisation", "certification", "dossier")
        .order_by("-sent_at", "-pk")
    )
    page = CappedPaginator(items, 25).get_page(request.GET.get("page"))
    # Results are shown to the prescriber only when the person agreed; computed for the whole page at once.
    shared = shared_referral_results(request.user, list(page))
    return render(
        request,
        "referrals/list.html",
        {
            "title": "Orientations",
            "page_obj": page,
            "rows": [(r, shared.get(r.pk)) for r in page],
            "can_refer": _prescriber_organisation(request.user, request.current) is not None,
            "current_organisation": request.current.organisation,
        },
    )


def referral_create(request):
    prescriber = _prescriber_organisation(request.user, request.current)
    if prescriber is None:
        raise PermissionDenied("Réservé aux conseillers d'un prescripteur.")
    today = timezone.localdate()
    form = ReferralForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referrals.send_referral(
                prescriber=prescriber,
                adviser=request.user,
                evaluator_organisation=data["evaluator_organisation"],
                certification=data["certification"],
                candidate_status=data["candidate_status"],
                consent=data["consent"],
                share_results=data["share_results"],
                note=data["note"],
                today=today,
                person={k: data[k] for k in ("birth_name", "first_names", "birth_date", "email", "phone")},
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Orientation envoyée à l'organisme évaluateur.")
            return redirect("referrals:list")
    return render(
        request,
        "referrals/form.html",
        {"title": "Orienter une personne", "form": form},
        status=400 if form.errors else 200,
    )


def referral_decline(request, public_id):
    referral = get_referral_for_user_or_404(request.user, public_id)
    if not can_open_dossier(request.user, referral.evaluator_organisation):
        raise PermissionDenied("Réservé à l'organisme évaluateur destinataire.")
    if request.method == "POST":
        try:
            referrals.decline_referral(referral, reason=request.POST.get("reason", ""), by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Orientation déclinée ; le prescripteur voit le motif.")
    return redirect("referrals:list")
