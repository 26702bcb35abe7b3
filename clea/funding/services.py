from decimal import Decimal

from django.db import transaction

from clea.accounts.models import User
from clea.dossiers.models import Dossier, EventKind
from clea.dossiers.services import record_event
from clea.funding.models import FundingLine, FundingScheme, FundingState, FundingStep
from clea.lib.errors import Conflict, RuleViolation


@transaction.atomic
def add_funding_line(
    dossier: Dossier, *, step: str, scheme: str, funder: str, amount: Decimal | None, state: str, by: User
) -> FundingLine:
    if step not in FundingStep.values:
        raise RuleViolation("Étape de financement inconnue.", field="step")
    if scheme not in FundingScheme.values:
        raise RuleViolation("Dispositif de financement inconnu.", field="scheme")
    if state not in FundingState.values:
        raise RuleViolation("État de financement inconnu.", field="state")
    if amount is None or amount < 0:
        raise RuleViolation("Le montant doit être positif ou nul.", field="amount")
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
