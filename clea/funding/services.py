from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from clea.accounts.models import User
from clea.dossiers.models import Dossier, EventKind
from clea.dossiers.services import record_event
from clea.funding import schemes
from clea.funding.models import FundingLine, FundingScheme, FundingState, FundingStep
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.roles import OrganisationKind
from clea.organisations.models import Organisation, PrescriberType


@transaction.atomic
def add_funding_line(
    dossier: Dossier, *, step: str, scheme: str, funder: str, amount: Decimal | None, state: str, by: User
) -> FundingLine:
    amount = _check_line(step, state, amount)
    if scheme not in FundingScheme.values:
        raise RuleViolation("Dispositif de financement inconnu.", field="scheme")
    if not funder.strip():
        raise RuleViolation("Indiquez le financeur.", field="funder")
    if not dossier.is_open:
        raise Conflict("Ce dossier est fermé : on n'y ajoute plus de financement.")
    line = FundingLine.objects.create(
        dossier=dossier, step=step, scheme=scheme, funder=funder, amount=amount, state=state, created_by=by
    )
    record_event(
        dossier,
        EventKind.FUNDING,
        f"Financement {FundingStep(step).label.lower()} : {FundingScheme(scheme).label}, {amount} € ({funder})",
        by=by,
    )
    return line


def _check_line(step: str, state: str, amount: Decimal | None) -> Decimal:
    """The amount, once step, state and amount are valid."""
    if step not in FundingStep.values:
        raise RuleViolation("Étape de financement inconnue.", field="step")
    if state not in FundingState.values:
        raise RuleViolation("État de financement inconnu.", field="state")
    if amount is None or amount < 0:
        raise RuleViolation("Le montant doit être positif ou nul.", field="amount")
    return amount


def _employer_funder(dossier: Dossier, employer: Organisation, scheme: str, opco: Organisation | None) -> str:
    """The funder of an employer's line, once the scheme fits the candidate (clea.funding.schemes)."""
    if scheme not in FundingScheme.values:
        raise RuleViolation("Dispositif de financement inconnu.", field="scheme")
    problem = schemes.scheme_problem(scheme, dossier.candidate_status)
    if problem:
        raise RuleViolation(problem, field="scheme")
    if not schemes.needs_opco(scheme):
        return schemes.funder_name(scheme, employer=employer.name, opco=None)
    if opco is None or not is_opco(opco):
        raise RuleViolation(f"{FundingScheme(scheme).label} : choisissez l'OPCO qui finance.", field="opco")
    return schemes.funder_name(scheme, employer=employer.name, opco=opco.name)


def opco_organisations() -> QuerySet[Organisation]:
    """The platform's OPCO (e.g. AKTO): prescriber organisations of the OPCO type."""
    return Organisation.objects.filter(
        kind=OrganisationKind.PRESCRIBER, prescriber_type=PrescriberType.OPCO, is_active=True
    ).order_by("name")


def is_opco(organisation: Organisation) -> bool:
    return opco_organisations().filter(pk=organisation.pk).exists()


def _guard_employer(dossier: Dossier, employer: Organisation) -> None:
    # The views answer 404 before this; the service holds rule 15 on its own all the same.
    if dossier.employer_id != employer.pk or not dossier.employer_involved:
        raise RuleViolation("Ce salarié n'associe pas votre entreprise à son parcours.")
    if not dossier.is_open:
        raise Conflict("Ce dossier est fermé : on n'y ajoute plus de financement.")


@transaction.atomic
def add_employer_funding(
    dossier: Dossier,
    *,
    employer: Organisation,
    step: str,
    scheme: str,
    amount: Decimal | None,
    state: str,
    opco: Organisation | None = None,
    by: User,
) -> FundingLine:
    """A line the employer brings (rule 17): plan, top-up, Pro-A, contrat de pro, POE, per the candidate."""
    _guard_employer(dossier, employer)
    amount = _check_line(step, state, amount)
    funder = _employer_funder(dossier, employer, scheme, opco)
    line = FundingLine.objects.create(
        dossier=dossier,
        step=step,
        scheme=scheme,
        funder=funder,
        amount=amount,
        state=state,
        recorded_by_employer=employer,
        created_by=by,
    )
    record_event(
        dossier,
        EventKind.FUNDING,
        f"Financement de l'employeur, {FundingStep(step).label.lower()} : {FundingScheme(scheme).label}, "
        f"{amount} € ({funder}, {FundingState(state).label.lower()})",
        by=by,
        organisation=employer,
    )
    return line


NOT_YOUR_LINE = "Seule l'entreprise qui a enregistré ce financement peut le modifier."


@transaction.atomic
def change_employer_funding(
    line: FundingLine,
    *,
    employer: Organisation,
    step: str,
    scheme: str,
    amount: Decimal | None,
    state: str,
    opco: Organisation | None = None,
    by: User,
) -> FundingLine:
    """Only the employer that recorded the line changes it; the rules are those of recording."""
    line = FundingLine.objects.select_for_update().select_related("dossier").get(pk=line.pk)
    if line.recorded_by_employer_id != employer.pk:
        raise RuleViolation(NOT_YOUR_LINE)
    _guard_employer(line.dossier, employer)
    amount = _check_line(step, state, amount)
    line.funder = _employer_funder(line.dossier, employer, scheme, opco)
    line.step, line.scheme, line.amount, line.state = step, scheme, amount, state
    line.save(update_fields=["step", "scheme", "funder", "amount", "state"])
    record_event(
        line.dossier,
        EventKind.FUNDING,
        f"Financement de l'employeur modifié, {FundingStep(step).label.lower()} : {FundingScheme(scheme).label}, "
        f"{amount} € ({line.funder}, {FundingState(state).label.lower()})",
        by=by,
        organisation=employer,
    )
    return line


def add_paid_work_time(dossier: Dossier, *, employer: Organisation, hours: int, by: User | None) -> FundingLine:
    """The line an accepted absence request writes (rule 16): CPF hours on work time, pay maintained by the
    employer. The caller holds the request's lock and writes it once (AbsenceRequest.pay_line)."""
    line = FundingLine.objects.create(
        dossier=dossier,
        step=FundingStep.TRAINING,
        scheme=FundingScheme.CPF,
        funder=employer.name,
        amount=Decimal("0.00"),
        state=FundingState.AGREED,
        paid_work_hours=hours,
        created_by=by,
    )
    record_event(
        dossier,
        EventKind.FUNDING,
        f"Financement formation : {hours} h sur le temps de travail, rémunération maintenue par « {employer.name} »",
        by=by,
        organisation=employer,
    )
    return line
