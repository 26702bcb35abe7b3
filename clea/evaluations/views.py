from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.views import dossier_page, require_work
from clea.evaluations import services
from clea.evaluations.access import get_evaluation_for_user_or_404
from clea.evaluations.forms import CorrectionForm, SittingForm, StartEvaluationForm
from clea.evaluations.grid import all_acquired, build_grid, entries_from_post, row_for
from clea.evaluations.grid_html import render_row, with_markup
from clea.evaluations.models import JUDGEMENT_CHOICES, EvaluationKind
from clea.evaluations.restitution import restitution_for, restitution_pdf
from clea.evaluations.services import GridEntry, StaleGrid
from clea.lib.errors import RuleViolation
from clea.lib.plurals import ngettext

KINDS = {"prealable": EvaluationKind.INITIAL, "finale": EvaluationKind.FINAL}


def evaluation_start(request, public_id, kind):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    if kind not in KINDS:
        raise Http404("Type d'évaluation inconnu.")
    form = StartEvaluationForm(
        request.POST or None,
        organisation=dossier.evaluator_organisation,
        initial={"evaluator": (dossier.evaluator or request.user).public_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.start_evaluation(
                dossier,
                kind=KINDS[kind],
                evaluator=form.cleaned_data["evaluator"],
                by=request.user,
                today=timezone.localdate(),
            )
        except RuleViolation as exc:
            form.add_error("evaluator" if exc.status == 400 else None, exc.message)
        else:
            messages.success(request, f"{evaluation.get_kind_display()} commencée. Ajoutez les séances.")
            return redirect("evaluations:grid", public_id=dossier.public_id, evaluation_id=evaluation.public_id)
    heading = "Commencer l'évaluation préalable" if kind == "prealable" else "Commencer l'évaluation finale"
    return dossier_page(
        request,
        dossier,
        "dossiers/form_page.html",
        {"form": form, "heading": heading, "submit": "Commencer"},
        status=409 if form.non_field_errors() else (400 if form.errors else 200),
    )


def _grid_context(evaluation, dossier):
    return {
        "evaluation": evaluation,
        "groups": with_markup(build_grid(evaluation)),
        "sittings": evaluation.sittings.all(),
        "status": services.dossier_assessment(dossier, include_open=True),
        "total_minutes": evaluation.total_minutes(),
        "sitting_form": SittingForm(initial={"date": timezone.localdate()}),
        "correction_form": CorrectionForm(),
        "choices": JUDGEMENT_CHOICES,
    }


def grid(request, public_id, evaluation_id):
    """The whole grid: works without JavaScript (one form), htmx saves each cell as the evaluator goes."""
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    evaluation = get_evaluation_for_user_or_404(request.user, evaluation_id, dossier=dossier)
    stale, status = None, 200
    if request.method == "POST":
        require_work(request, dossier)
        correction = CorrectionForm(request.POST) if evaluation.is_closed else None
        reason = correction.cleaned_data["reason"] if correction and correction.is_valid() else ""
        groups = build_grid(evaluation)
        rows = [row for group in groups for sub in group.subdomains for row in sub.rows]
        entries = entries_from_post(all_acquired(request.POST, groups), evaluation, rows)
        if not entries:
            messages.info(request, "Aucun changement à enregistrer.")
            return redirect("evaluations:grid", public_id=dossier.public_id, evaluation_id=evaluation.public_id)
        try:
            services.record_judgements(evaluation, entries, by=request.user, correction_reason=reason)
        except StaleGrid as exc:
            stale, status = exc, 409
        except RuleViolation as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(
                request,
                ngettext("%(n)d résultat enregistré.", "%(n)d résultats enregistrés.", len(entries))
                % {"n": len(entries)},
            )
            return redirect("evaluations:grid", public_id=dossier.public_id, evaluation_id=evaluation.public_id)
    context = _grid_context(evaluation, dossier)
    context["stale"] = stale
    return dossier_page(request, dossier, "evaluations/grid.html", context, status=status)


@require_POST
def grid_cell(request, public_id, evaluation_id, code):
    """htmx: save one criterion; answers the row (with its new revision) and the live status."""
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    evaluation = get_evaluation_for_user_or_404(request.user, evaluation_id, dossier=dossier)
    require_work(request, dossier)
    raw = request.POST.get("revision", "")
    entry = GridEntry(
        code,
        request.POST.get("judgement", ""),
        request.POST.get(f"c-{code}", "").strip(),
        int(raw) if raw.isdigit() else None,
    )
    error = stale = None
    try:
        services.record_judgements(evaluation, [entry], by=request.user)
    except StaleGrid as exc:
        stale = exc.stale[0]
    except RuleViolation as exc:
        error = exc.message
    try:
        row = row_for(evaluation, code)
    except LookupError:
        return HttpResponse(error or "Critère inconnu.", status=400)
    html = render_row(row, error=error, stale=stale, saved=not (error or stale))
    html += render_to_string(
        "evaluations/_status.html",
        {
            "status": services.dossier_assessment(dossier, include_open=True),
            "oob": True,
        },
        request=request,
    )
    return HttpResponse(html)


def sitting_create(request, public_id, evaluation_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    evaluation = get_evaluation_for_user_or_404(request.user, evaluation_id, dossier=dossier)
    require_work(request, dossier)
    form = SittingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_sitting(evaluation, by=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Séance enregistrée.")
            return redirect("evaluations:grid", public_id=dossier.public_id, evaluation_id=evaluation.public_id)
    context = _grid_context(evaluation, dossier)
    context["sitting_form"] = form
    return dossier_page(
        request, dossier, "evaluations/grid.html", context, status=409 if form.non_field_errors() else 400
    )


@require_POST
def evaluation_close(request, public_id, evaluation_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    evaluation = get_evaluation_for_user_or_404(request.user, evaluation_id, dossier=dossier)
    require_work(request, dossier)
    try:
        result = services.close_evaluation(evaluation, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:grid", public_id=dossier.public_id, evaluation_id=evaluation.public_id)
    if result.eligible:
        messages.success(request, "Évaluation clôturée : tous les domaines sont acquis. Le dossier peut aller au jury.")
    else:
        messages.success(request, "Évaluation clôturée. Proposez maintenant un parcours de formation.")
    return redirect("evaluations:results", public_id=dossier.public_id)


def results(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    restitution = restitution_for(dossier, timezone.localdate())
    return dossier_page(request, dossier, "evaluations/results.html", {"restitution": restitution})


def results_pdf(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    pdf = restitution_pdf(dossier, timezone.localdate(), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    # No personal data in the file name.
    response["Content-Disposition"] = 'attachment; filename="resultats-clea.pdf"'
    return response
