from django.contrib import messages
from django.shortcuts import redirect

from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.views import dossier_page, require_work
from clea.funding import services
from clea.funding.forms import FundingLineForm


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
