from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from clea.absences import services as absences
from clea.absences.access import get_absence_request_for_user_or_404
from clea.absences.forms import AbsenceAnswerForm, AbsenceRequestForm
from clea.absences.models import AbsenceRequest
from clea.absences.permissions import can_answer_absence, employer_organisations
from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.views import dossier_page, require_work
from clea.lib.errors import RuleViolation
from clea.lib.pagination import CappedPaginator


def absence_create(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    form = AbsenceRequestForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            created = absences.request_absence(
                dossier, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if created.request_late:
                messages.warning(
                    request,
                    f"Demande enregistrée, mais hors délai légal : elle devait être faite au "
                    f"plus tard le {created.latest_request_date:%d/%m/%Y}.",
                )
            else:
                messages.success(request, "Demande d'autorisation d'absence enregistrée.")
            return redirect("dossiers:detail", public_id=dossier.public_id)
    return dossier_page(
        request,
        dossier,
        "dossiers/form_page.html",
        {
            "form": form,
            "heading": "Demande d'autorisation d'absence (CPF sur le temps de travail)",
            "submit": "Enregistrer la demande",
        },
        status=409 if form.non_field_errors() else (400 if form.errors else 200),
    )


def absence_list(request):
    requests = (
        AbsenceRequest.objects.visible_to(request.user)
        .select_related("dossier__candidate", "employer")
        .order_by("status", "answer_due", "pk")
    )
    page = CappedPaginator(requests, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "absences/list.html",
        {
            "title": "Demandes d'absence",
            "page_obj": page,
            "today": timezone.localdate(),
            "is_employer": bool(employer_organisations(request.user)),
        },
    )


def absence_answer(request, public_id):
    absence = get_absence_request_for_user_or_404(request.user, public_id)
    if not can_answer_absence(request.user, absence):
        raise PermissionDenied("Réservé à l'employeur.")
    form = AbsenceAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            absences.answer_absence(absence, by=request.user, today=timezone.localdate(), **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
        else:
            messages.success(request, "Réponse enregistrée.")
            return redirect("absences:list")
    return render(
        request,
        "absences/answer.html",
        {
            "title": "Répondre à une demande d'absence",
            "absence": absence,
            "form": form,
        },
        status=status if not form.errors or status != 200 else 400,
    )
