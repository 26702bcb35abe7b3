"""Rule 17 on the employer's screen: the funding it brings, fitted to the candidate's status, while the
candidate involves it (rule 15: 404 otherwise); it changes only the lines its own staff recorded."""

import datetime

import pytest
from django.urls import reverse

from clea.absences import services as absences
from clea.dossiers import services as dossiers
from clea.dossiers.models import Dossier
from clea.funding import services as funding
from clea.funding.models import FundingLine
from clea.lib.errors import RuleViolation
from clea.organisations.models import OrganisationKind, PrescriberType, Role
from tests.dossiers.builders import TODAY, open_dossier
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bakery(cast, path_setting):
    """Léa, employee of the bakery, involves it; AKTO is on the platform; the garage is another employer."""
    s = path_setting
    garage = OrganisationFactory(kind=OrganisationKind.EMPLOYER, name="Garage Martin")
    return {
        **s,
        "dossier": open_dossier(s, candidate_status="employee", employer=s["employer"]),
        "hr": cast.employer,
        "hr_admin": MembershipFactory(organisation=s["employer"], role=Role.ADMIN).user,
        "garage_hr": MembershipFactory(organisation=garage, role=Role.EMPLOYER_CONTACT).user,
        "akto": OrganisationFactory(kind=OrganisationKind.PRESCRIBER, prescriber_type=PrescriberType.OPCO, name="AKTO"),
    }


def url(b):
    return reverse("absences:employer_funding", args=[b["dossier"].public_id])


def body(scheme, opco=None, **extra):
    data = {"step": "training", "scheme": scheme, "amount": "600", "state": "planned", **extra}
    if opco is not None:
        data["opco"] = str(opco.public_id)
    return data


# scheme, with the OPCO?, expected funder (None: refused) and the field the French message lands on
EMPLOYEE_CASES = [
    ("skills_plan", False, "Boulangerie Dupont", None),
    ("employer_top_up", False, "Boulangerie Dupont", None),
    ("pro_a", True, "AKTO", None),
    ("professionalisation", True, "AKTO", None),
    ("pro_a", False, None, ("opco", "Pro-A : choisissez l'OPCO qui finance.")),
    ("poe", False, None, ("scheme", "réservé aux demandeurs d'emploi avant leur embauche")),
    ("cpf", False, None, ("scheme", "le CPF lui-même appartient au salarié")),  # not offered on the screen
]


@pytest.mark.parametrize(("scheme", "with_opco", "funder", "error"), EMPLOYEE_CASES)
def test_the_employer_records_what_fits_an_employee(client, bakery, scheme, with_opco, funder, error):
    b = bakery
    client.force_login(b["hr"])
    response = client.post(url(b), body(scheme, b["akto"] if with_opco else None))
    lines = FundingLine.objects.filter(dossier=b["dossier"])
    if funder is None:
        assert response.status_code == 400 and not lines.exists()
        field, message = error
        assert message in " ".join(response.context["form"].errors[field])
        return
    assert response.status_code == 302
    line = lines.get()
    assert (line.scheme, line.funder, line.recorded_by_employer, line.created_by) == (
        scheme,
        funder,
        b["employer"],
        b["hr"],
    )
    event = b["dossier"].events.get(summary__startswith="Financement de l'employeur")
    assert (event.by, event.organisation) == (b["hr"], b["employer"])


@pytest.mark.parametrize(
    ("status", "scheme", "allowed"),
    [
        ("young_mission_locale", "professionalisation", True),
        ("young_mission_locale", "pro_a", False),
        ("young_mission_locale", "skills_plan", False),
        ("job_seeker", "poe", True),
        ("job_seeker", "employer_top_up", False),
    ],
)
def test_the_service_holds_the_status_rules(bakery, status, scheme, allowed):
    """Today only an employee involves an employer; the service holds the scheme rules for every status."""
    b = bakery
    Dossier.objects.filter(pk=b["dossier"].pk).update(candidate_status=status)
    dossier = Dossier.objects.get(pk=b["dossier"].pk)
    record = lambda: funding.add_employer_funding(  # noqa: E731
        dossier,
        employer=b["employer"],
        step="training",
        scheme=scheme,
        amount=100,
        state="planned",
        opco=b["akto"],
        by=b["hr"],
    )
    if allowed:
        assert record().funder == ("France Travail" if scheme == "poe" else "AKTO")
    else:
        with pytest.raises(RuleViolation, match="réservé") as refused:
            record()
        assert refused.value.field == "scheme" and not FundingLine.objects.exists()


def test_an_organisation_that_is_not_an_opco_is_refused(bakery):
    b = bakery
    with pytest.raises(RuleViolation, match="choisissez l'OPCO"):
        funding.add_employer_funding(
            b["dossier"], employer=b["employer"], step="training", scheme="pro_a", amount=1, state="planned",
            opco=b["organisation"], by=b["hr"],
        )  # fmt: skip


WHO = ["hr", "hr_admin", "garage_hr", "evaluator", "outsider", "trainer", "certifier", "prescriber"]


@pytest.mark.parametrize("who", WHO)
def test_who_records_employer_funding(client, bakery, who):
    b = bakery
    client.force_login(b[who])
    allowed = who in {"hr", "hr_admin"}
    assert client.get(url(b)).status_code == (200 if allowed else 404)
    assert client.post(url(b), body("skills_plan")).status_code == (302 if allowed else 404)
    assert FundingLine.objects.exists() == allowed


def test_without_the_candidates_involvement_the_employer_gets_404(client, bakery):
    b = bakery
    client.force_login(b["hr"])
    client.post(url(b), body("skills_plan"))
    line = FundingLine.objects.get()
    edit = reverse("absences:employer_funding_edit", args=[line.public_id])
    assert client.get(edit).status_code == 200
    dossiers.end_employer_involvement(b["dossier"], by=b["evaluator"])  # withdrawn
    assert client.get(url(b)).status_code == 404
    assert client.post(url(b), body("skills_plan")).status_code == 404
    assert client.post(edit, body("skills_plan", state="paid")).status_code == 404
    never = open_dossier(b, birth_name="Martin", candidate_status="employee")  # never involved
    assert client.get(reverse("absences:employer_funding", args=[never.public_id])).status_code == 404
    assert FundingLine.objects.get() == line and line.state == "planned"


@pytest.mark.parametrize("who", ["hr", "hr_admin", "garage_hr", "evaluator", "certifier"])
def test_the_employer_changes_only_its_own_lines(client, bakery, who):
    b = bakery
    own = funding.add_employer_funding(
        b["dossier"], employer=b["employer"], step="training", scheme="skills_plan", amount=600, state="planned",
        by=b["hr"],
    )  # fmt: skip
    evaluators = funding.add_funding_line(
        b["dossier"], step="evaluation", scheme="cpf", funder="Caisse des Dépôts", amount=450, state="agreed",
        by=b["evaluator"],
    )  # fmt: skip
    start = TODAY + datetime.timedelta(days=70)
    request = absences.request_absence(
        b["dossier"], requested_on=TODAY, start_date=start, end_date=start, hours=7, by=b["evaluator"], today=TODAY
    )
    absences.answer_absence(request, decision="accepted", by=b["hr"], today=TODAY)
    pay = FundingLine.objects.get(paid_work_hours=7)
    client.force_login(b[who])
    staff = who in {"hr", "hr_admin"}  # the employer's staff, whoever of them recorded it
    for line, code in [(own, 302 if staff else 404), (evaluators, 403 if staff else 404), (pay, 403 if staff else 404)]:
        edit = reverse("absences:employer_funding_edit", args=[line.public_id])
        assert client.post(edit, body("skills_plan", amount="800", state="paid")).status_code == code, line
    own.refresh_from_db()
    evaluators.refresh_from_db()
    pay.refresh_from_db()
    assert (own.amount, own.state) == ((800, "paid") if staff else (600, "planned"))
    assert (evaluators.amount, evaluators.scheme, pay.paid_work_hours, pay.scheme) == (450, "cpf", 7, "cpf")
    if staff:
        assert b["dossier"].events.filter(summary__startswith="Financement de l'employeur modifié", by=b[who]).exists()
        page = client.get(url(b)).content.decode()
        assert page.count("/modifier/") == 1  # the edit link is on its own line only


def test_a_wrong_scheme_on_edit_changes_nothing(client, bakery):
    b = bakery
    line = funding.add_employer_funding(
        b["dossier"], employer=b["employer"], step="training", scheme="employer_top_up", amount=300,
        state="agreed", by=b["hr"],
    )  # fmt: skip
    client.force_login(b["hr"])
    edit = reverse("absences:employer_funding_edit", args=[line.public_id])
    response = client.post(edit, body("poe"))
    assert response.status_code == 400 and "réservé aux demandeurs d'emploi" in " ".join(
        response.context["form"].errors["scheme"]
    )
    line.refresh_from_db()
    assert (line.scheme, line.amount, line.state) == ("employer_top_up", 300, "agreed")
    response = client.post(edit, body("pro_a", b["akto"]))
    line.refresh_from_db()
    assert response.status_code == 302 and (line.scheme, line.funder) == ("pro_a", "AKTO")
