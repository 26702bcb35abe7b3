from django.db import transaction

from clea.dossiers.models import EventKind
from clea.dossiers.services import record_event
from clea.funding.models import FundingLine, FundingScheme, FundingStep


@transaction.atomic
def add_funding_line(dossier, *, step: str, scheme: str, funder: str, amount, state: str, by) -> FundingLine:
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
