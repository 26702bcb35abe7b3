"""The funding an employer can bring to an employee's CléA path (docs/rules.md rule 17). Pure: values in, answer out.

Which schemes an employer records, for which candidate status, and who the funder is. Plain CPF is the
person's own account: the employer does not record it (they top it up: abondement). The OPCO finances
Pro-A and the contrat de professionnalisation (including for CléA numérique); France Travail finances the
POE, the employer committing to hire the job seeker afterwards.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from clea.dossiers.models import CandidateStatus
from clea.funding.models import FundingScheme


class FunderKind(enum.StrEnum):
    EMPLOYER = "employer"  # the employer's own name
    OPCO = "opco"  # one of the platform's OPCO organisations, chosen by the employer
    FRANCE_TRAVAIL = "france_travail"


FRANCE_TRAVAIL = "France Travail"


@dataclass(frozen=True)
class EmployerScheme:
    statuses: frozenset[str]
    funder: FunderKind
    # Who the scheme is for, completing "Ce dispositif est réservé …" when the status does not fit.
    audience: str


EMPLOYER_SCHEMES: Mapping[str, EmployerScheme] = {
    FundingScheme.SKILLS_PLAN: EmployerScheme(
        frozenset({CandidateStatus.EMPLOYEE}), FunderKind.EMPLOYER, "aux salariés de l'entreprise"
    ),
    FundingScheme.EMPLOYER_TOP_UP: EmployerScheme(
        frozenset({CandidateStatus.EMPLOYEE}), FunderKind.EMPLOYER, "aux salariés qui mobilisent leur CPF"
    ),
    FundingScheme.PRO_A: EmployerScheme(
        frozenset({CandidateStatus.EMPLOYEE}),
        FunderKind.OPCO,
        "aux salariés (reconversion ou promotion par alternance)",
    ),
    FundingScheme.PROFESSIONALISATION: EmployerScheme(
        frozenset({CandidateStatus.EMPLOYEE, CandidateStatus.YOUNG_MISSION_LOCALE}),
        FunderKind.OPCO,
        "aux salariés en contrat de professionnalisation et aux jeunes",
    ),
    FundingScheme.POE: EmployerScheme(
        frozenset({CandidateStatus.JOB_SEEKER}),
        FunderKind.FRANCE_TRAVAIL,
        "aux demandeurs d'emploi avant leur embauche",
    ),
}


def employer_schemes() -> list[str]:
    """The schemes an employer may record, in the order of the form."""
    return list(EMPLOYER_SCHEMES)


def scheme_problem(scheme: str, candidate_status: str) -> str | None:
    """Why an employer cannot record ``scheme`` for a candidate of this status (None when they can)."""
    rule = EMPLOYER_SCHEMES.get(scheme)
    if rule is None:
        if scheme == FundingScheme.CPF:
            return (
                "Le CPF appartient au salarié : l'employeur ne l'enregistre pas, il peut l'abonder "
                "(« Abondement de l'employeur »)."
            )
        return "Ce dispositif n'est pas un financement que l'employeur enregistre."
    if candidate_status not in rule.statuses:
        label = FundingScheme(scheme).label
        status = CandidateStatus(candidate_status).label.lower() if candidate_status in CandidateStatus.values else ""
        return f"{label} : ce dispositif est réservé {rule.audience} ; le candidat est {status or 'sans statut connu'}."
    return None


def funder_kind(scheme: str) -> FunderKind:
    return EMPLOYER_SCHEMES[scheme].funder


def needs_opco(scheme: str) -> bool:
    return scheme in EMPLOYER_SCHEMES and funder_kind(scheme) == FunderKind.OPCO


def funder_name(scheme: str, *, employer: str, opco: str | None) -> str:
    """The funder written on the line: the employer, the OPCO chosen, or France Travail."""
    kind = funder_kind(scheme)
    if kind == FunderKind.EMPLOYER:
        return employer
    if kind == FunderKind.FRANCE_TRAVAIL:
        return FRANCE_TRAVAIL
    if not opco:
        raise ValueError("an OPCO-funded scheme needs the OPCO")
    return opco
