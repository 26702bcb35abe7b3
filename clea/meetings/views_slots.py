"""The evaluator organisation's information-meeting slots: publish, cancel or delete, note attendance,
and book a person on a slot from their request."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.lib.access import get_or_404
from clea.lib.errors import RuleViolation
from clea.lib.pagination import CappedPaginator
from clea.lib.plurals import ngettext
from clea.meetings import slots
from clea.meetings.forms import BookForm, SlotForm, attendance_marks
from clea.meetings.mails import organisation_address
from clea.meetings.models import MeetingSlot
from clea.meetings.views import _get, _organisation

UPCOMING_SHOWN = 100


def _slots(request):
    return MeetingSlot.objects.filter(evaluator_organisation=_organisation(request))


def _slot(request, public_id):
    return get_or_404(_slots(request), public_id, "Créneau introuvable.")


def slot_list(request):
    now = timezone.now()
    listed = _slots(request).with_counts().select_related("certification")
    upcoming = list(listed.filter(starts_at__gte=now).order_by("starts_at", "pk")[: UPCOMING_SHOWN + 1])
    past = CappedPaginator(listed.filter(starts_at__lt=now).order_by("-starts_at", "-pk"), 25)
    return render(
        request,
        "meetings/slot_list.html",
        {
            "title": "Créneaux de réunion d'information",
            "upcoming": upcoming[:UPCOMING_SHOWN],
            "more_upcoming": len(upcoming) > UPCOMING_SHOWN,
            "page_obj": past.get_page(request.GET.get("page")),
        },
    )


def slot_create(request):
    organisation = _organisation(request)
    form = SlotForm(request.POST or None, initial={"place": organisation_address(organisation)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = slots.publish_slot(organisation=organisation, by=request.user, **data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Créneau publié : {slot.starts_at:%d/%m/%Y à %H:%M}.")
            return redirect("meetings:slot_detail", slot.public_id)
    return render(
        request,
        "meetings/slot_form.html",
        {"title": "Publier un créneau de réunion d'information", "form": form},
        status=400 if form.errors else 200,
    )


def slot_detail(request, public_id):
    slot = _slot(request, public_id)
    bookings = list(slot.held().prefetch_related(Prefetch("marks", to_attr="history")).order_by("booked_at", "pk"))
    return render(
        request,
        "meetings/slot_detail.html",
        {
            "title": f"Réunion d'information du {timezone.localtime(slot.starts_at):%d/%m/%Y à %H:%M}",
            "slot": slot,
            "bookings": bookings,
            "started": slot.starts_at <= timezone.now(),
            "ever_booked": slot.bookings.exists(),
        },
    )


def _act(request, action, success) -> bool:
    """Run the service; its refusal becomes the page's message. ``success`` words the result."""
    try:
        result = action()
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success(result))
    return True


@require_POST
def slot_cancel(request, public_id):
    slot = _slot(request, public_id)
    _act(
        request,
        lambda: slots.cancel_slot(slot, by=request.user),
        lambda n: "Créneau annulé. " + ngettext("%d personne prévenue.", "%d personnes prévenues.", n) % n,
    )
    return redirect("meetings:slot_detail", slot.public_id)


@require_POST
def slot_delete(request, public_id):
    slot = _slot(request, public_id)
    if _act(request, lambda: slots.delete_slot(slot, by=request.user), lambda _: "Créneau supprimé."):
        return redirect("meetings:slots")
    return redirect("meetings:slot_detail", slot.public_id)


@require_POST
def slot_attendance(request, public_id):
    slot = _slot(request, public_id)
    marks = attendance_marks(request.POST, slot.held())
    if not marks:
        messages.error(request, "Indiquez « présent » ou « absent » pour au moins une personne.")
    else:
        _act(
            request,
            lambda: slots.record_attendance(slot, marks, by=request.user),
            lambda n: "Présences enregistrées : " + ngettext("%d changement.", "%d changements.", n) % n,
        )
    return redirect("meetings:slot_detail", slot.public_id)


@require_POST
def request_book(request, public_id):
    """From the request list: the organisation books the person on one of its slots."""
    meeting_request = _get(request, public_id)
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un créneau.")
        return redirect("meetings:list")
    slot = _slot(request, form.cleaned_data["slot"])
    _act(
        request,
        lambda: slots.book(meeting_request, slot, by=request.user),
        lambda _: "Créneau réservé : la personne est prévenue par e-mail si elle en a donné un.",
    )
    return redirect("meetings:list")
