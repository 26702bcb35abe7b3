"""Fees owed by evaluator organisations to the certifier (docs/rules.md rule 19), fed by events.

Amounts come from the rule profile of the dossier's référentiel version (configurable data). Each
event is recorded once: ``source`` is a stable key of the event (e.g. "initial:<evaluation id>").
"""

from __future__ import annotations

from django.db import transaction

from clea.funding.models import FeeEntry, FeeKind


@transaction.atomic
def record_fee(*, dossier, kind: str, occurred_at, source: str) -> FeeEntry:
    profile = dossier.referentiel_version.profile
    amount = (
        profile.fee_initial_assessment_cents if kind == FeeKind.INITIAL_ASSESSMENT else profile.fee_certificate_cents
    )
    entry, _ = FeeEntry.objects.get_or_create(
        source=source,
        defaults={
            "organisation": dossier.evaluator_organisation,
            "certification": dossier.certification,
            "dossier": dossier,
            "kind": kind,
            "amount_cents": amount,
            "occurred_at": occurred_at,
        },
    )
    return entry


@transaction.atomic
def record_organisation_fee(
    *, organisation, certification, kind: str, amount_cents: int, occurred_at, source: str
) -> FeeEntry | None:
    """A fee owed per organisation, not per dossier (a habilitation application, an establishment).

    A campaign whose fee is 0 records nothing: the ledger lists what is owed."""
    if amount_cents <= 0:
        return None
    entry, _ = FeeEntry.objects.get_or_create(
        source=source,
        defaults={
            "organisation": organisation,
            "certification": certification,
            "kind": kind,
            "amount_cents": amount_cents,
            "occurred_at": occurred_at,
        },
    )
    return entry
