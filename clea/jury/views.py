from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.jury import services
from clea.jury.access import get_jury_session_for_user_or_404, get_session_entry_or_404
from clea.jury.forms import DecisionForm, MemberForm, SessionForm
from clea.jury.models import JurySession
from clea.jury.permissions import can_organise, organiser_organisations
from clea.lib.access import valid_uuids
from clea.lib.errors import RuleViolation
from clea.lib.pagination import CappedPaginator


def _require_organiser(user, session):
    if not can_organise(user, session):
        raise PermissionDenied("Réservé à l'organisateur du jury.")


def session_list(request):
    sessions = (
        JurySession.objects.visible_to(request.user)
        .select_related("organiser", "region")
        .defer("minutes")
        .annotate(
            dossier_count=Count("entries", distinct=True),
            decided=Count("entries", filter=Q(entries__decision__isnull=False), distinct=True),
        )
        .order_by("-date", "-pk")
    )
    page = CappedPaginator(sessions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "jury/list.html",
        {
            "title": "Jurys",
            "page_obj": page,
            "can_create": bool(organiser_organisations(request.user)),
        },
    )


def session_create(request):
    organisers = organiser_organisations(request.user)
    if not organisers:
        raise PermissionDenied("Réservé aux organisateurs de jury.")
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(organiser=organisers[0], by=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Session planifiée. Ajoutez les membres du jury.")
            return redirect("jury:detail", public_id=session.public_id)
    return render(
        request,
        "jury/form.html",
        {"title": "Planifier une session", "form": form, "submit": "Planifier"},
        status=400 if form.errors else 200,
    )


def session_detail(request, public_id):
    session = get_jury_session_for_user_or_404(request.user, public_id)
    entries = session.entries.select_related(
        "dossier__candidate", "dossier__certification", "dossier__evaluator_organisation", "decision"
    ).order_by("pk")
    organiser = can_organise(request.user, session)
    return render(
        request,
        "jury/detail.html",
        {
            "title": str(session),
            "session": session,
            "entries": entries,
            "members": session.members.select_related("organisation"),
            "quorum_problem": services.session_quorum_problem(session),
            "awaiting": awaiting_page(request, session) if organiser and not session.is_closed else None,
            "can_organise": organiser,
            "member_form": MemberForm(organisations=services.member_organisations(session)) if organiser else None,
            "decision_form": DecisionForm(),
            "clean_undecided": [e for e in entries if e.is_clean and not hasattr(e, "decision")],
        },
    )


AWAITING_PAGE_SIZE = 50  # about one session's worth


def awaiting_page(request, session):
    """Dossiers waiting in the region, a page at a time (a big region has hundreds), oldest first."""
    return CappedPaginator(services.awaiting_in_region(session), AWAITING_PAGE_SIZE).get_page(request.GET.get("page"))


def _act(request, public_id, action, success):
    session = get_jury_session_for_user_or_404(request.user, public_id)
    _require_organiser(request.user, session)
    try:
        action(session)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("jury:detail", public_id=session.public_id)


@require_POST
def member_add(request, public_id):
    # Who may act is checked before the form is read: invisible is 404, not the organiser 403.
    session = get_jury_session_for_user_or_404(request.user, public_id)
    _require_organiser(request.user, session)
    form = MemberForm(request.POST, organisations=services.member_organisations(session))
    if not form.is_valid():
        messages.error(request, "Membre non ajouté : indiquez son nom et son collège.")
        return redirect("jury:detail", public_id=session.public_id)
    return _act(request, public_id, lambda s: services.add_member(s, **form.cleaned_data), "Membre ajouté.")


@require_POST
def attendance(request, public_id):
    present = {int(pk) for pk in request.POST.getlist("present") if pk.isdigit()}
    return _act(
        request,
        public_id,
        lambda s: services.record_attendance(s, present_ids=present, by=request.user),
        "Présences enregistrées.",
    )


@require_POST
def put_on_session(request, public_id):
    def action(session):
        wanted = set(request.POST.getlist("dossiers"))
        dossiers = list(services.awaiting_in_region(session).filter(public_id__in=valid_uuids(wanted)))
        if not dossiers:
            raise RuleViolation("Choisissez au moins un dossier.")
        services.put_on_session(session, dossiers, by=request.user)

    return _act(request, public_id, action, "Dossiers inscrits à la session.")


@require_POST
def award_clean(request, public_id):
    def action(session):
        entries = [e for e in session.entries.select_related("dossier") if e.is_clean and not hasattr(e, "decision")]
        if not entries:
            raise RuleViolation("Aucun dossier sans anomalie à décider.")
        services.award_clean_together(session, entries, by=request.user, today=timezone.localdate())

    return _act(request, public_id, action, "Les dossiers sans anomalie ont reçu leur décision, un par un.")


@require_POST
def decide(request, public_id, entry_id):
    session = get_jury_session_for_user_or_404(request.user, public_id)
    _require_organiser(request.user, session)
    entry = get_session_entry_or_404(session, entry_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Décision incomplète : choisissez la décision et indiquez les voix.")
    else:
        try:
            services.decide(entry, by=request.user, today=timezone.localdate(), **form.cleaned_data)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Décision enregistrée.")
    return redirect("jury:detail", public_id=session.public_id)


@require_POST
def close(request, public_id):
    return _act(
        request,
        public_id,
        lambda s: services.close_session(s, by=request.user, today=timezone.localdate()),
        "Session close : le procès-verbal est signé.",
    )


def minutes(request, public_id):
    session = get_jury_session_for_user_or_404(request.user, public_id)
    if session.is_closed:
        pdf = JurySession.objects.values_list("minutes", flat=True).get(pk=session.pk)
        assert pdf is not None  # close_session stores the signed minutes with the closed status
    else:
        pdf = services.minutes_pdf(session)
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proces-verbal-jury-{session.date:%Y-%m-%d}.pdf"'
    return response
