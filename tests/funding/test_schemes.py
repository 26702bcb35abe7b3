"""Rule 17, pure: which funding an employer records, for whom, and who pays (clea.funding.schemes)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.dossiers.models import CandidateStatus
from clea.funding import schemes
from clea.funding.models import FundingScheme

EMPLOYEE, JOB_SEEKER, YOUNG = CandidateStatus.EMPLOYEE, CandidateStatus.JOB_SEEKER, CandidateStatus.YOUNG_MISSION_LOCALE

# scheme, {status: allowed}, funder kind
TABLE = [
    (FundingScheme.SKILLS_PLAN, {EMPLOYEE: True, JOB_SEEKER: False, YOUNG: False}, schemes.FunderKind.EMPLOYER),
    (FundingScheme.EMPLOYER_TOP_UP, {EMPLOYEE: True, JOB_SEEKER: False, YOUNG: False}, schemes.FunderKind.EMPLOYER),
    (FundingScheme.PRO_A, {EMPLOYEE: True, JOB_SEEKER: False, YOUNG: False}, schemes.FunderKind.OPCO),
    (FundingScheme.PROFESSIONALISATION, {EMPLOYEE: True, JOB_SEEKER: False, YOUNG: True}, schemes.FunderKind.OPCO),
    (FundingScheme.POE, {EMPLOYEE: False, JOB_SEEKER: True, YOUNG: False}, schemes.FunderKind.FRANCE_TRAVAIL),
]
CASES = [(scheme, status, allowed) for scheme, by_status, _ in TABLE for status, allowed in by_status.items()]


@pytest.mark.parametrize(("scheme", "status", "allowed"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_which_status_each_scheme_fits(scheme, status, allowed):
    problem = schemes.scheme_problem(scheme, status)
    assert (problem is None) == allowed
    if problem:
        assert problem.startswith(FundingScheme(scheme).label) and "réservé" in problem


@pytest.mark.parametrize(("scheme", "funder"), [(t[0], t[2]) for t in TABLE], ids=[t[0] for t in TABLE])
def test_who_funds(scheme, funder):
    assert schemes.funder_kind(scheme) == funder
    assert schemes.needs_opco(scheme) == (funder == schemes.FunderKind.OPCO)
    name = schemes.funder_name(scheme, employer="Boulangerie Dupont", opco="AKTO")
    expected = {"employer": "Boulangerie Dupont", "opco": "AKTO", "france_travail": "France Travail"}[funder]
    assert name == expected


def test_the_table_is_the_rule():
    assert schemes.employer_schemes() == [t[0] for t in TABLE]


@pytest.mark.parametrize("status", CandidateStatus.values)
def test_plain_cpf_is_the_persons_and_other_is_not_the_employers(status):
    assert "appartient au salarié" in schemes.scheme_problem(FundingScheme.CPF, status)
    assert "n'est pas un financement que l'employeur" in schemes.scheme_problem(FundingScheme.OTHER, status)


def test_an_opco_scheme_needs_the_opco():
    with pytest.raises(ValueError, match="OPCO"):
        schemes.funder_name(FundingScheme.PRO_A, employer="Boulangerie Dupont", opco=None)


@given(
    scheme=st.sampled_from(FundingScheme.values),
    status=st.sampled_from(CandidateStatus.values),
    employer=st.text(min_size=1, max_size=40),
    opco=st.text(min_size=1, max_size=40),
)
def test_property_an_allowed_scheme_always_has_a_named_funder(scheme, status, employer, opco):
    """Allowed ⇒ an employer scheme for that status, never plain CPF, with a non-empty funder; refused ⇒ a
    French reason. And an employee always has at least the plan and the top-up."""
    problem = schemes.scheme_problem(scheme, status)
    if problem is None:
        assert scheme != FundingScheme.CPF and status in schemes.EMPLOYER_SCHEMES[scheme].statuses
        assert schemes.funder_name(scheme, employer=employer, opco=opco) in {employer, opco, schemes.FRANCE_TRAVAIL}
    else:
        assert problem and problem[0].isupper()
    assert schemes.scheme_problem(FundingScheme.SKILLS_PLAN, EMPLOYEE) is None
    assert schemes.scheme_problem(FundingScheme.EMPLOYER_TOP_UP, EMPLOYEE) is None
