from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone

from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.permissions import can_record_progress
from clea.dossiers.views import dossier_page, require_work
from clea.lib.errors import RuleViolation
from clea.referentiel.models import Criterion
from clea.training import services
from clea.training.access import get_training_path_for_user_or_404
from clea.training.forms import ProgressForm, TrainingPathForm


def path_create(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    missing = services.missing_criteria_codes(dossier)
    extra = (
        Criterion.objects.filter(version=dossier.referentiel_version)
        .exclude(code__in=missing)
        .order_by("subdomain__domain__position", "subdomain__position", "position")
    )
    form = TrainingPathForm(request.POST or None, extra_choices=[(c.code, f"{c.code} {c.title}") for c in extra])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.propose_training_path(
                dossier,
                training_organisation=data["training_organisation"],
                trainer=data["trainer"],
                planned_hours=data["planned_hours"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                target_codes=data["extra_targets"],
                by=request.user,
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Parcours de formation proposé.")
            return redirect("dossiers:detail", public_id=dossier.public_id)
    missing_criteria = Criterion.objects.filter(version=dossier.referentiel_version, code__in=missing).order_by(
        "subdomain__domain__position", "subdomain__position", "position"
    )
    return dossier_page(
        request,
        dossier,
        "training/path_form.html",
        {"form": form, "missing": missing_criteria},
        status=409 if form.non_field_errors() else (400 if form.errors else 200),
    )


def progress_create(request, public_id, path_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    path = get_training_path_for_user_or_404(request.user, path_id, dossier=dossier)
    if not can_record_progress(request.user, path):
        raise PermissionDenied("Réservé au formateur du parcours.")
    form = ProgressForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_progress(path, by=request.user, today=timezone.localdate(), **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Avancement enregistré.")
            return redirect("dossiers:detail", public_id=dossier.public_id)
    return dossier_page(
        request,
        dossier,
        "dossiers/form_page.html",
        {"form": form, "heading": "Noter l'avancement de la formation", "submit": "Enregistrer"},
        status=400 if form.errors else 200,
    )
