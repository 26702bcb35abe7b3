"""The person's screens on their data (candidate space) and the organisation's answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Prefetch, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clea.accounts.memberships import is_candidate
from clea.candidates.access import get_own_dossier_or_404
from clea.candidates.services import own_dossiers
from clea.dossiers.workflow import Action, State, allows
from clea.lib.access import get_or_404
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.pagination import CappedPaginator
from clea.privacy import requests as services
from clea.privacy.forms import RefuseForm, RequestForm
from clea.privacy.models import PrivacyRequest, RequestKind, RequestStatus, RetentionNotice
from clea.privacy.permissions import answering_organisation

# The person's two requests, one screen each: what happens is said before the button.
ACTIONS = {
    "retrait": (RequestKind.CONSENT_WITHDRAWAL, services.withdraw_consent),
    "effacement": (RequestKind.ERASURE, services.request_erasure),
}


def _candidate_only(request) -> None:
    if not is_candidate(request.user):
        raise Http404("Pas d'espace candidat pour ce compte.")


def mine(request):
    _candidate_only(request)
    dossiers = list(
        own_dossiers(request.user)
        .select_related("anonymisation")
        .prefetch_related(Prefetch("privacy_requests", queryset=PrivacyRequest.objects.order_by("-requested_at")))
    )
    notices = {notice.dossier_id: notice for notice in RetentionNotice.objects.running().filter(dossier__in=dossiers)}
    cards = [
        {
            "dossier": dossier,
            "anonymised": hasattr(dossier, "anonymisation"),
            "requests": list(dossier.privacy_requests.all()),
            "pending": next((r for r in dossier.privacy_requests.all() if r.status == RequestStatus.PENDING), None),
            "notice": notices.get(dossier.pk),
            "certified": dossier.state == State.CERTIFIED,
        }
        for dossier in dossiers
    ]
    return render(request, "privacy/mine.html", {"title": "Mes données personnelles", "cards": cards})


def ask(request, public_id, action):
    _candidate_only(request)
    if action not in ACTIONS:
        raise Http404("Page introuvable.")
    kind, service = ACTIONS[action]
    dossier = get_own_dossier_or_404(request.user, public_id)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(dossier, by=request.user, message=form.cleaned_data["message"])
        except (Conflict, RuleViolation) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Votre demande est envoyée : l'organisme y répond dans le mois.")
            return redirect("privacy:mine")
    return render(
        request,
        "privacy/ask.html",
        {
            "title": RequestKind(kind).label,
            "kind": kind,
            "dossier": dossier,
            "form": form,
            "certified": dossier.state == State.CERTIFIED,
            "open": dossier.is_open and allows(dossier.state, Action.WITHDRAW),
            "at_jury": dossier.is_open and not allows(dossier.state, Action.WITHDRAW),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def keep(request, public_id):
    _candidate_only(request)
    dossier = get_own_dossier_or_404(request.user, public_id)
    try:
        services.keep_dossier(dossier, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "C'est noté : votre dossier est gardé.")
    return redirect("privacy:mine")


def _organisation(request):
    organisation = answering_organisation(request.user, request.current)
    if organisation is None:
        raise PermissionDenied("Réservé aux administrateurs d'un organisme évaluateur.")
    return organisation


def _requests_of(organisation):
    return PrivacyRequest.objects.filter(dossier__evaluator_organisation=organisation)


def request_list(request):
    organisation = _organisation(request)
    requests = _requests_of(organisation).select_related("dossier__candidate", "dossier__certification")
    pending_first = Case(When(status=RequestStatus.PENDING, then=0), default=1)
    page = CappedPaginator(requests.order_by(pending_first, "answer_due", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "privacy/list.html", {"title": "Demandes sur les données personnelles", "page_obj": page})


def handle(request, public_id):
    organisation = _organisation(request)
    privacy_request = get_or_404(
        _requests_of(organisation).select_related("dossier__candidate", "dossier__certification"),
        public_id,
        "Demande introuvable.",
    )
    refuse_form = RefuseForm(request.POST if request.POST.get("decision") == "refuse" else None)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "erase":
                services.carry_out(privacy_request, by=request.user)
                messages.success(request, "Données anonymisées ; la personne en est informée.")
                return redirect("privacy:list")
            if request.POST.get("decision") == "refuse" and refuse_form.is_valid():
                services.refuse(privacy_request, by=request.user, answer=refuse_form.cleaned_data["answer"])
                messages.success(request, "Refus enregistré ; la personne reçoit votre motif.")
                return redirect("privacy:list")
        except (Conflict, RuleViolation) as exc:
            error = exc.message
    return render(
        request,
        "privacy/handle.html",
        {
            "title": "Traiter une demande sur les données personnelles",
            "privacy_request": privacy_request,
            "dossier": privacy_request.dossier,
            "refuse_form": refuse_form,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )
