"""The employer's funding screens (rule 17): what it brings to an employee's path, while the employee
involves it (rule 15: otherwise 404, as if the dossier did not exist)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from clea.absences.access import (
    get_employee_dossier_or_404,
    get_employer_funding_line_or_404,
    recorded_by_own_employer,
)
from clea.absences.forms import EmployerFundingForm
from clea.funding import services as funding
from clea.lib.errors import RuleViolation


def _save(request, form, write) -> int | None:
    """Run the service: None once written, else the page's status. A French refusal lands on the field it
    names (400, or 409 for a closed dossier), and nothing is written."""
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 400
    try:
        write(**form.cleaned_data)
    except RuleViolation as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return exc.status
    return None


def _page(request, form, dossier, status, *, line=None):
    lines = list(dossier.funding_lines.select_related("recorded_by_employer"))
    own = {each.pk for each in lines if recorded_by_own_employer(request.user, each)}
    return render(
        request,
        "absences/employer_funding.html",
        {
            "title": "Modifier un financement de l'employeur" if line else "Financement de l'employeur",
            "form": form,
            "dossier": dossier,
            "line": line,
            "lines": lines,
            "own": own,
        },
        status=status,
    )


def employer_funding(request, public_id):
    """The employer records plan, CPF top-up, Pro-A, contrat de professionnalisation or POE funding."""
    dossier = get_employee_dossier_or_404(request.user, public_id)
    assert dossier.employer is not None  # employee_dossiers only holds dossiers with an employer
    employer = dossier.employer
    form = EmployerFundingForm(request.POST or None)
    status = _save(
        request, form, lambda **data: funding.add_employer_funding(dossier, employer=employer, by=request.user, **data)
    )
    if status is None:
        messages.success(request, "Financement enregistré.")
        return redirect("absences:employer_funding", public_id=dossier.public_id)
    return _page(request, form, dossier, status)


def employer_funding_edit(request, public_id):
    """The employer changes a line its own staff recorded (e.g. planned → agreed → paid)."""
    line = get_employer_funding_line_or_404(request.user, public_id)
    if not recorded_by_own_employer(request.user, line):
        raise PermissionDenied(funding.NOT_YOUR_LINE)
    dossier, employer = line.dossier, line.recorded_by_employer
    assert employer is not None  # recorded_by_own_employer
    opco = funding.opco_organisations().filter(name=line.funder).first()
    initial = {"step": line.step, "scheme": line.scheme, "opco": opco, "amount": line.amount, "state": line.state}
    form = EmployerFundingForm(request.POST or None, initial=initial)
    status = _save(
        request, form, lambda **data: funding.change_employer_funding(line, employer=employer, by=request.user, **data)
    )
    if status is None:
        messages.success(request, "Financement modifié.")
        return redirect("absences:employer_funding", public_id=dossier.public_id)
    return _page(request, form, dossier, status, line=line)
