from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.models import Dossier
from clea.dossiers.views import dossier_page, require_work
from clea.funding import services
from clea.funding.forms import FundingLineForm
from clea.funding.models import PAID_WORK_TIME, FundingLine
from clea.lib.exports import SafeWriter


def funding_create(request, public_id):
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    require_work(request, dossier)
    form = FundingLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_funding_line(dossier, by=request.user, **form.cleaned_data)
        messages.success(request, "Financement enregistré.")
        return redirect("dossiers:detail", public_id=dossier.public_id)
    return dossier_page(
        request,
        dossier,
        "dossiers/form_page.html",
        {"form": form, "heading": "Ajouter un financement", "submit": "Enregistrer"},
        status=400 if form.errors else 200,
    )


def funding_export(request):
    """Funding lines of the dossiers the user sees, as CSV for a French spreadsheet (UTF-8 BOM, ';')."""
    lines = (
        FundingLine.objects.filter(dossier__in=Dossier.objects.visible_to(request.user))
        .select_related("dossier__candidate", "dossier__certification", "dossier__evaluator_organisation")
        .order_by("dossier__created_at", "dossier_id", "step", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="financements.csv"'
    response.write("\ufeff")
    writer = SafeWriter(response, delimiter=";")
    writer.writerow(
        [
            "dossier",
            "candidat",
            "certification",
            "organisme",
            "étape",
            "dispositif",
            "financeur",
            "montant",
            "état",
            # Rule 16: the paid work time an accepted absence request gives, beside the amounts.
            "heures sur le temps de travail",
            "rémunération",
        ]
    )
    for line in lines:
        dossier = line.dossier
        writer.writerow(
            [
                dossier.public_id,
                dossier.candidate.full_name,
                dossier.certification.name,
                dossier.evaluator_organisation.name,
                line.get_step_display(),
                line.get_scheme_display(),
                line.funder,
                f"{line.amount:.2f}".replace(".", ","),
                line.get_state_display(),
                line.paid_work_hours if line.pays_work_time else "",
                PAID_WORK_TIME if line.pays_work_time else "",
            ]
        )
    return response
