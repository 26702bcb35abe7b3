from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from clea.lib.access import get_or_404
from clea.lib.clients import client_bucket
from clea.lib.errors import RuleViolation
from clea.lib.pagination import CappedPaginator
from clea.meetings import services
from clea.meetings.forms import MeetingRequestForm, ProposeForm, form_token
from clea.meetings.models import Attendance, MeetingBooking, MeetingRequest, MeetingSlot
from clea.meetings.permissions import handling_organisation
from clea.organisations.models import Habilitation, Organisation, OrganisationKind

RATE = "5/h"  # requests per client and hour: enough for a person, not for a script
SLOTS_OFFERED = 50  # the next slots with a free place, offered on each request to book the person


def _listed(public_id):
    listed = Organisation.objects.filter(
        kind=OrganisationKind.EVALUATOR,
        is_active=True,
        pk__in=Habilitation.objects.valid_on(timezone.localdate()).values("organisation"),
    )
    return get_or_404(listed, public_id, "Organisme introuvable ou sans habilitation en cours.")


@login_not_required
def request_create(request, public_id):
    """From the directory, without an account: the person asks the organisation to meet them."""
    organisation = _listed(public_id)
    form = MeetingRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limited = is_ratelimited(
            request, group="meeting-request", key=lambda g, r: client_bucket(r), rate=RATE, increment=True
        )
        if limited:
            form.add_error(None, "Trop de demandes depuis cette connexion : réessayez dans une heure.")
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_request(
                    organisation=organisation,
                    certification=data["certification"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    preferred_times=data["preferred_times"],
                    consent=data["consent"],
                    today=timezone.localdate(),
                )
            except RuleViolation as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return render(request, "meetings/sent.html", {"title": "Demande envoyée", "organisation": organisation})
        if form.errors and status == 200:
            status = 400
    return render(
        request,
        "meetings/request_form.html",
        {
            "title": f"Demander une réunion d'information — {organisation.name}",
            "organisation": organisation,
            "form": form,
            "token": form_token(),  # signed now: a post sooner than MIN_SECONDS is a bot's
        },
        status=status,
    )


def _organisation(request):
    organisation = handling_organisation(request.user, request.current)
    if organisation is None:
        raise PermissionDenied("Réservé aux organismes évaluateurs.")
    return organisation


def request_list(request):
    organisation = _organisation(request)
    pending = MeetingBooking.objects.filter(cancelled_at__isnull=True, attendance="").select_related("slot")
    requests = (
        MeetingRequest.objects.filter(evaluator_organisation=organisation)
        .select_related("certification", "dossier")
        .annotate(no_shows=Count("bookings", filter=Q(bookings__attendance=Attendance.ABSENT)))
        .prefetch_related(Prefetch("bookings", queryset=pending, to_attr="pending"))
    )
    page = CappedPaginator(requests.order_by("status", "-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    free_slots = (
        MeetingSlot.objects.filter(evaluator_organisation=organisation)
        .bookable(timezone.now())
        .select_related("certification")
        .order_by("starts_at", "pk")[:SLOTS_OFFERED]
    )
    return render(
        request,
        "meetings/list.html",
        {
            "title": "Demandes de réunion d'information",
            "page_obj": page,
            "propose_form": ProposeForm(),
            "free_slots": list(free_slots),
        },
    )


def _get(request, public_id):
    organisation = _organisation(request)
    return get_or_404(
        MeetingRequest.objects.filter(evaluator_organisation=organisation), public_id, "Demande introuvable."
    )


@require_POST
def request_propose(request, public_id):
    meeting_request = _get(request, public_id)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date et l'heure de la réunion.")
        return redirect("meetings:list")
    try:
        services.propose_meeting(meeting_request, when=form.cleaned_data["when"], by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Date de réunion enregistrée : la personne reçoit un e-mail si elle en a donné un, sinon appelez-la.",
        )
    return redirect("meetings:list")


@require_POST
def request_close(request, public_id):
    meeting_request = _get(request, public_id)
    try:
        services.close_request(meeting_request, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Demande close sans dossier : les coordonnées de la personne sont effacées.")
    return redirect("meetings:list")
