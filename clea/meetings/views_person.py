"""The person's own page, without an account, reached by the signed link of their e-mails: choose,
change or cancel their information meeting."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.lib.access import get_or_404
from clea.lib.errors import RuleViolation
from clea.meetings import slots
from clea.meetings.forms import BookForm
from clea.meetings.links import MAX_AGE_DAYS, public_id_from
from clea.meetings.models import OPEN_STATUSES, MeetingRequest, MeetingSlot
from clea.meetings.services import pending_booking

SHOWN = 30  # the next slots with a free place; the organisation is reachable for anything further


EXPIRED = (
    f"Ce lien n'est pas valide ou a expiré (il vaut {MAX_AGE_DAYS} jours). Utilisez le lien du dernier e-mail "
    "de l'organisme, ou contactez-le directement."
)
HANDLED = "Cette demande est déjà traitée ou close : contactez l'organisme pour toute question."


def with_link(view):
    """Resolve the signed link to the open request, or say plainly why not (404: nothing is revealed)."""

    @wraps(view)
    def resolved(request, token):
        public_id = public_id_from(token)
        if public_id is None:
            return _refused(request, EXPIRED)
        pending = MeetingRequest.objects.filter(status__in=OPEN_STATUSES).select_related("evaluator_organisation")
        try:
            meeting_request = get_or_404(pending, public_id, HANDLED)
        except Http404:
            return _refused(request, HANDLED)
        return view(request, meeting_request, token)

    return login_not_required(resolved)


def _refused(request, message):
    return render(request, "meetings/link_refused.html", {"title": "Lien non valide", "message": message}, status=404)


def open_slots(meeting_request):
    """The organisation's slots to come with a free place, for this request's certification if it has one."""
    found = MeetingSlot.objects.filter(evaluator_organisation=meeting_request.evaluator_organisation_id)
    if meeting_request.certification_id:
        found = found.filter(Q(certification__isnull=True) | Q(certification=meeting_request.certification_id))
    return found.bookable(timezone.now()).select_related("certification").order_by("starts_at", "pk")


@with_link
def person(request, meeting_request, token):
    form = BookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # Any slot of the organisation: one just taken or cancelled gets the service's plain refusal.
            offered = MeetingSlot.objects.filter(evaluator_organisation=meeting_request.evaluator_organisation_id)
            slot = get_or_404(offered, form.cleaned_data["slot"], "Créneau introuvable.")
            try:
                slots.book(meeting_request, slot, by=None)
            except RuleViolation as exc:
                form.add_error("slot", exc.message)
            else:
                messages.success(request, "Votre place est réservée : un e-mail vous le confirme.")
                return redirect("meetings:person", token)
        status = 400
    booking = pending_booking(meeting_request)
    return render(
        request,
        "meetings/person.html",
        {
            "title": "Ma réunion d'information",
            "meeting_request": meeting_request,
            "organisation": meeting_request.evaluator_organisation,
            "booking": booking,
            "slots": open_slots(meeting_request)[:SHOWN],
            "form": form,
            "token": token,
        },
        status=status,
    )


@require_POST
@with_link
def person_cancel(request, meeting_request, token):
    try:
        slots.cancel_by_person(meeting_request)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Votre réunion est annulée : l'organisme en est prévenu, votre demande reste ouverte."
        )
    return redirect("meetings:person", token)
