from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.dossiers import services
from clea.dossiers.access import get_dossier_for_user_or_404, get_transfer_request_for_user_or_404
from clea.dossiers.deadlines import warning_horizon
from clea.dossiers.extensions import assessment_of, opening_source
from clea.dossiers.forms import (
    DossierFilterForm,
    DossierOpenForm,
    EmployerForm,
    MeetingForm,
    ReasonForm,
    SubmitForm,
    TransferRequestForm,
)
from clea.dossiers.models import Dossier, TransferStatus
from clea.dossiers.next_step import dossier_actions
from clea.dossiers.permissions import can_open_dossier, can_work_on_dossier
from clea.dossiers.presentation import STEPS, frame
from clea.lib.errors import RuleViolation
from clea.lib.pagination import CappedPaginator

PAGE_SIZE = 25


def dossier_page(request, dossier, template, extra=None, status=200):
    """Render a dossier screen with the frame every dossier screen shows (steps, deadline, actions)."""
    context = {
        "dossier": dossier,
        "frame": frame(dossier, request.user, timezone.localdate()),
        "steps": STEPS,
        "title": f"{dossier.candidate.full_name} — {dossier.certification.name}",
    }
    context.update(extra or {})
    return render(request, template, context, status=status)


def require_work(request, dossier):
    if not can_work_on_dossier(request.user, dossier):
        raise PermissionDenied("Réservé à l'organisme évaluateur qui suit ce dossier.")


FILTERS_SESSION_KEY = "dossier_filters"
# What the list shows, and nothing more (a row of the country's biggest table stays narrow).
LIST_COLUMNS = (
    "public_id",
    "state",
    "deadline",
    "created_at",
    "candidate__birth_name",
    "candidate__usage_name",
    "candidate__first_names",
    "certification__name",
    "evaluator__first_name",
    "evaluator__last_name",
)


LINK_FILTERS = {"etat": "state", "echeance": "deadline_soon"}  # query key → filter field


def dossier_list(request):
    """Filters are posted and kept in the session: a candidate's name never travels in a URL."""
    organisation = request.current.organisation
    if request.method == "POST":
        posted = DossierFilterForm(request.POST, organisation=organisation)
        if posted.is_valid():
            request.session[FILTERS_SESSION_KEY] = {k: v for k, v in request.POST.items() if k in posted.fields}
        return redirect("dossiers:list")
    if "effacer" in request.GET:
        request.session.pop(FILTERS_SESSION_KEY, None)
        return redirect("dossiers:list")
    shortcut = {field: request.GET[key] for key, field in LINK_FILTERS.items() if key in request.GET}
    if shortcut:
        # The home page's links (a state, the close limits: no personal data) become the saved filters.
        if DossierFilterForm(shortcut, organisation=organisation).is_valid():
            request.session[FILTERS_SESSION_KEY] = shortcut
        else:
            messages.error(request, "Ce filtre n'existe pas : la liste est affichée sans lui.")
        return redirect("dossiers:list")
    dossiers = Dossier.objects.visible_to(request.user)
    if organisation is not None and organisation.kind in ("evaluator", "training"):
        # Act for the current organisation only; the switcher changes it.
        dossiers = dossiers.followed_by(organisation)
    dossiers = (
        dossiers.select_related("candidate", "certification", "evaluator")
        .only(*LIST_COLUMNS)
        .order_by("-created_at", "-pk")
    )
    saved = request.session.get(FILTERS_SESSION_KEY)
    filters = DossierFilterForm(saved, organisation=organisation)
    if saved and filters.is_valid():
        dossiers = apply_filters(dossiers, filters.cleaned_data, timezone.localdate())
    page = CappedPaginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/list.html",
        {
            "title": "Dossiers",
            "page_obj": page,
            "filters": filters,
            "filtered": bool(saved),
            "can_open": can_open_dossier(request.user, organisation),
        },
    )


def apply_filters(dossiers, data, today):
    if data["q"].strip():
        for word in data["q"].split():
            dossiers = dossiers.filter(
                Q(candidate__birth_name__icontains=word)
                | Q(candidate__usage_name__icontains=word)
                | Q(candidate__first_names__icontains=word)
            )
    if data["state"]:
        dossiers = dossiers.filter(state=data["state"])
    if data["certification"]:
        dossiers = dossiers.filter(certification=data["certification"])
    if data["evaluator"]:
        dossiers = dossiers.filter(evaluator=data["evaluator"])
    if data["deadline_soon"]:
        dossiers = dossiers.open().deadline_before(warning_horizon(today))
    return dossiers


def dossier_open(request):
    organisation = request.current.organisation
    if not can_open_dossier(request.user, organisation):
        raise PermissionDenied("Seuls les évaluateurs d'un organisme évaluateur ouvrent des dossiers.")
    source = opening_source(request, organisation)
    form = DossierOpenForm(request.POST or None, organisation=organisation, initial=source.initial if source else None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = dict(
            candidate=form.candidate_data(),
            candidate_status=data["candidate_status"],
            employer=data["employer"],
            consent=data["consent"],
            evaluator=data["evaluator"],
            by=request.user,
            today=timezone.localdate(),
        )
        try:
            if source is not None:
                chosen = {"certification": data["certification"]} if source.chooses_certification else {}
                dossier = source.open(**common, **chosen)
            else:
                dossier = services.open_dossier(
                    organisation=organisation,
                    certification=data["certification"],
                    initiator=data["initiator"],
                    prescriber_type=data["prescriber_type"],
                    prescriber=data["prescriber"],
                    **common,
                )
        except services.DuplicateDossier as exc:
            duplicate = exc
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Dossier ouvert.")
            return redirect("dossiers:detail", public_id=dossier.public_id)
    return render(
        request,
        "dossiers/open.html",
        {
            "title": "Ouvrir un dossier",
            "form": form,
            "duplicate": duplicate,
            "referral": None,
            **(source.context if source else {}),
            "transfer_form": TransferRequestForm(),
        },
        status=409 if duplicate else (400 if form.errors else 200),
    )


@require_POST
def transfer_request(request):
    """Asked from the open form after a duplicate was found: the identity is sent again."""
    organisation = request.current.organisation
    if not can_open_dossier(request.user, organisation):
        raise PermissionDenied("Seuls les évaluateurs d'un organisme évaluateur demandent un transfert.")
    form = DossierOpenForm(request.POST, organisation=organisation)
    reason = TransferRequestForm(request.POST)
    form.is_valid()
    identity = {k: form.cleaned_data.get(k) for k in ("birth_name", "first_names", "birth_date")}
    if not all(identity.values()) or not reason.is_valid() or not form.cleaned_data.get("certification"):
        messages.error(request, "Demande incomplète : indiquez l'identité du candidat et le motif.")
        return redirect("dossiers:open")
    try:
        services.request_transfer(
            organisation=organisation,
            certification=form.cleaned_data["certification"],
            candidate_identity=identity,
            reason=reason.cleaned_data["reason"],
            by=request.user,
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:open")
    messages.success(request, "Demande de transfert envoyée à l'organisme qui suit ce dossier.")
    return redirect("dossiers:list")


def dossier_detail(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    evaluations = list(dossier.evaluations.select_related("evaluator", "closed_by").prefetch_related("sittings"))
    paths = list(
        dossier.training_paths.select_related("training_organisation", "trainer").prefetch_related(
            "targets", "progress_notes"
        )
    )
    meetings = list(dossier.meetings.select_related("adviser"))
    assessment = assessment_of(dossier)
    page_frame = frame(dossier, request.user, timezone.localdate())
    actions = dossier_actions(
        dossier,
        page_frame.allowed,
        evaluations=evaluations,
        meetings=len(meetings),
        paths=len(paths),
        has_results=assessment is not None,
    )
    return dossier_page(
        request,
        dossier,
        "dossiers/detail.html",
        {
            "frame": page_frame,
            "actions": actions,
            "assessment": assessment,
            "meetings": meetings,
            "evaluations": evaluations,
            "paths": paths,
            "funding_lines": dossier.funding_lines.all(),
            "funding_totals": dossier.funding_lines.values("step").annotate(total=Sum("amount")).order_by("step"),
            "absence_requests": dossier.absence_requests.all(),
            "events": dossier.events.select_related("by", "organisation"),
            "employer_form": EmployerForm() if dossier.is_open and not dossier.employer_involved else None,
            "transfers": dossier.transfer_requests.filter(status=TransferStatus.PENDING).select_related(
                "to_organisation", "requested_by"
            ),
        },
    )


def meeting_create(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    form = MeetingForm(
        request.POST or None,
        organisation=dossier.evaluator_organisation,
        initial={"date": timezone.localdate(), "adviser": request.user.public_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(dossier, by=request.user, today=timezone.localdate(), **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Réunion d'information enregistrée.")
            return redirect("dossiers:detail", public_id=dossier.public_id)
    return dossier_page(
        request,
        dossier,
        "dossiers/form_page.html",
        {"form": form, "heading": "Réunion d'information", "submit": "Enregistrer"},
        status=400 if form.errors else 200,
    )


def _reason_action(request, public_id, action, heading, submit, success):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(dossier, reason=form.cleaned_data["reason"], by=request.user)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect("dossiers:detail", public_id=dossier.public_id)
    status = 409 if form.non_field_errors() else (400 if form.errors else 200)
    return dossier_page(
        request, dossier, "dossiers/form_page.html", {"form": form, "heading": heading, "submit": submit}, status=status
    )


def dossier_withdraw(request, public_id):
    return _reason_action(
        request, public_id, services.withdraw, "Abandon du candidat", "Enregistrer l'abandon", "Abandon enregistré."
    )


def dossier_close(request, public_id):
    return _reason_action(
        request,
        public_id,
        services.close_without_certification,
        "Clôturer sans certification",
        "Clôturer le dossier",
        "Dossier clôturé.",
    )


@require_POST
def employer_involve(request, public_id):
    """Records the candidate's choice to involve their employer (rule 15), from the dossier page."""
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    form = EmployerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez l'employeur que le candidat associe.")
        return redirect("dossiers:detail", public_id=dossier.public_id)
    try:
        services.involve_employer(dossier, form.cleaned_data["employer"], by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Employeur associé au parcours, à la demande du candidat.")
    return redirect("dossiers:detail", public_id=dossier.public_id)


@require_POST
def employer_end(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    try:
        services.end_employer_involvement(dossier, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "L'employeur n'est plus associé : il ne verra rien de ce qui suit.")
    return redirect("dossiers:detail", public_id=dossier.public_id)


def dossier_submit(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_to_jury(dossier, by=request.user, summary=form.cleaned_data["summary"])
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Dossier présenté au jury.")
            return redirect("dossiers:detail", public_id=dossier.public_id)
    assessment = assessment_of(dossier)
    return dossier_page(
        request,
        dossier,
        "dossiers/submit.html",
        {
            "form": form,
            "assessment": assessment,
            "evaluations": dossier.evaluations.select_related("evaluator").prefetch_related("sittings"),
            "paths": dossier.training_paths.select_related("training_organisation", "trainer"),
        },
        status=409 if form.non_field_errors() else 200,
    )


@require_POST
def transfer_answer(request, public_id, transfer_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    transfer = get_transfer_request_for_user_or_404(request.user, transfer_id, dossier=dossier)
    accept = request.POST.get("decision") == "accept"
    try:
        services.answer_transfer(transfer, accept=accept, reason=request.POST.get("reason", ""), by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:detail", public_id=dossier.public_id)
    if accept:
        messages.success(request, f"Dossier transféré à « {transfer.to_organisation.name} ».")
        return redirect("dossiers:list")
    messages.success(request, "Demande de transfert refusée.")
    return redirect("dossiers:detail", public_id=dossier.public_id)
