"""Rules 16 and 17 through the API, as on the screens: the paid work time an accepted absence request
gives, and the funding the employer brings (only while the candidate involves it: 404 otherwise)."""

import datetime

import pytest
from django.utils import timezone

from clea.absences import services as absences
from clea.absences.models import AbsenceRequest
from clea.dossiers import services as dossiers
from clea.funding import services as funding
from clea.funding.models import PAID_WORK_TIME, FundingLine
from clea.organisations.models import OrganisationKind, PrescriberType, Role
from tests.api.test_dossiers_api import client_for
from tests.dossiers.builders import open_dossier
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
NOT_FOUND = "Dossier introuvable."


def today():
    return timezone.localdate()


@pytest.fixture
def bakery(cast, path_setting):
    s = path_setting
    garage = OrganisationFactory(kind=OrganisationKind.EMPLOYER, name="Garage Martin")
    return {
        **s,
        "dossier": open_dossier(s, candidate_status="employee", employer=s["employer"], today=today()),
        "hr": cast.employer,
        "garage_hr": MembershipFactory(organisation=garage, role=Role.EMPLOYER_CONTACT).user,
        "akto": OrganisationFactory(kind=OrganisationKind.PRESCRIBER, prescriber_type=PrescriberType.OPCO, name="AKTO"),
    }


def create_url(b):
    return f"{V1}/dossiers/{b['dossier'].public_id}/employer-funding-lines/"


def line_url(line_id):
    return f"{V1}/employer-funding-lines/{line_id}/"


def body(scheme="skills_plan", **extra):
    return {"step": "training", "scheme": scheme, "amount": "600.00", **extra}


# --- rule 16: paid work time ---------------------------------------------------------------------------


def ask(b, **extra):
    start = today() + datetime.timedelta(days=70)
    payload = {"requested_on": today().isoformat(), "start_date": start.isoformat(), "end_date": start.isoformat()}
    return client_for(b["evaluator"]).post(
        f"{V1}/dossiers/{b['dossier'].public_id}/absence-requests/", {**payload, "hours": 14, **extra}, format="json"
    )


def test_pay_maintained_travels_and_cannot_be_unset(bakery):
    b = bakery
    refused = ask(b, pay_maintained=False)
    assert refused.status_code == 400
    assert refused.json() == {"detail": absences.NO_UNPAID, "field": "pay_maintained"}
    created = ask(b).json()
    assert (created["pay_maintained"], created["pay_line"]) == (True, None)
    answered = client_for(b["hr"]).post(
        f"{V1}/absence-requests/{created['id']}/answer/", {"decision": "accepted"}, format="json"
    )
    assert answered.status_code == 200
    line = FundingLine.objects.get(paid_work_hours=14)
    assert answered.json()["pay_line"] == str(line.public_id)
    for who in ("evaluator", "hr"):
        lines = client_for(b[who]).get(f"{V1}/dossiers/{b['dossier'].public_id}/funding-lines/").json()["lines"]
        assert [(x["scheme"], x["funder"], x["amount"], x["paid_work_hours"], x["pay_maintained"]) for x in lines] == [
            ("cpf", "Boulangerie Dupont", "0.00", 14, True)
        ]
    listed = client_for(b["evaluator"]).get(f"{V1}/funding-lines/").json()["results"]
    assert [(x["paid_work_hours"], x["recorded_by_employer"]) for x in listed] == [(14, None)]
    assert PAID_WORK_TIME in AbsenceRequest._meta.get_field("pay_maintained").verbose_name


def test_refusing_through_the_api_is_a_clear_french_400(bakery):
    created = ask(bakery).json()
    refused = client_for(bakery["hr"]).post(
        f"{V1}/absence-requests/{created['id']}/answer/",
        {"decision": "refused", "reason": "Trop de travail"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"detail": absences.NO_REFUSAL, "field": "decision"}
    assert not FundingLine.objects.exists()


# --- rule 17: the employer's funding --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "code", "expected"),
    [
        (body("skills_plan"), 201, ("skills_plan", "Boulangerie Dupont", "planned")),
        (body("employer_top_up", state="agreed"), 201, ("employer_top_up", "Boulangerie Dupont", "agreed")),
        (body("pro_a", opco="akto"), 201, ("pro_a", "AKTO", "planned")),
        (body("professionalisation", opco="akto"), 201, ("professionalisation", "AKTO", "planned")),
        (body("pro_a"), 400, ("opco", "Pro-A : choisissez l'OPCO qui finance.")),
        (body("poe"), 400, ("scheme", "réservé aux demandeurs d'emploi avant leur embauche")),
        (body("cpf"), 400, ("scheme", "Le CPF appartient au salarié")),
    ],
    ids=["plan", "top-up", "pro-a", "contrat-pro", "pro-a-without-opco", "poe-for-an-employee", "cpf"],
)
def test_the_employer_records_its_funding(bakery, payload, code, expected):
    b = bakery
    if payload.get("opco") == "akto":
        payload = {**payload, "opco": str(b["akto"].public_id)}
    response = client_for(b["hr"]).post(create_url(b), payload, format="json")
    assert response.status_code == code, response.json()
    if code == 400:
        field, message = expected
        assert response.json()["field"] == field and message in response.json()["detail"]
        assert not FundingLine.objects.exists()
        return
    data = response.json()
    assert (data["scheme"], data["funder"], data["state"]) == expected
    assert data["recorded_by_employer"] == {"id": str(b["employer"].public_id), "name": "Boulangerie Dupont"}
    assert b["dossier"].events.filter(summary__startswith="Financement de l'employeur", by=b["hr"]).exists()


@pytest.mark.parametrize("who", ["hr", "garage_hr", "evaluator", "outsider", "certifier", "trainer", "prescriber"])
def test_who_records_through_the_api(bakery, who):
    b = bakery
    response = client_for(b[who]).post(create_url(b), body(), format="json")
    assert response.status_code == (201 if who == "hr" else 404), response.json()
    if who != "hr":
        assert response.json()["detail"] == NOT_FOUND
    assert FundingLine.objects.exists() == (who == "hr")


def test_anonymous_is_asked_to_log_in(bakery):
    assert client_for(None).post(create_url(bakery), body(), format="json").status_code == 401
    assert (
        client_for(None).patch(line_url("00000000-0000-0000-0000-000000000000"), {}, format="json").status_code == 401
    )


def test_without_the_candidates_involvement_404(bakery):
    b = bakery
    hr = client_for(b["hr"])
    line = hr.post(create_url(b), body(), format="json").json()
    assert hr.patch(line_url(line["id"]), {"state": "agreed"}, format="json").status_code == 200
    dossiers.end_employer_involvement(b["dossier"], by=b["evaluator"])
    assert hr.post(create_url(b), body(), format="json").status_code == 404
    assert hr.patch(line_url(line["id"]), {"state": "paid"}, format="json").status_code == 404
    never = open_dossier(b, birth_name="Martin", candidate_status="employee", today=today())
    assert hr.post(f"{V1}/dossiers/{never.public_id}/employer-funding-lines/", body(), format="json").status_code == 404
    assert FundingLine.objects.get().state == "agreed"


@pytest.mark.parametrize("who", ["hr", "garage_hr", "evaluator", "certifier"])
def test_the_employer_changes_only_its_own_lines_through_the_api(bakery, who):
    b = bakery
    own = funding.add_employer_funding(
        b["dossier"], employer=b["employer"], step="training", scheme="pro_a", amount=900, state="planned",
        opco=b["akto"], by=b["hr"],
    )  # fmt: skip
    theirs = funding.add_funding_line(
        b["dossier"], step="evaluation", scheme="cpf", funder="Caisse des Dépôts", amount=450, state="agreed",
        by=b["evaluator"],
    )  # fmt: skip
    client = client_for(b[who])
    mine = client.patch(line_url(own.public_id), {"state": "agreed", "amount": "950.00"}, format="json")
    other = client.patch(line_url(theirs.public_id), {"state": "paid"}, format="json")
    if who == "hr":
        assert mine.status_code == 200, mine.json()
        assert (mine.json()["state"], mine.json()["amount"], mine.json()["funder"]) == ("agreed", "950.00", "AKTO")
        assert other.status_code == 403
        assert other.json()["detail"] == funding.NOT_YOUR_LINE
    else:
        assert (mine.status_code, other.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.state == "agreed"


def test_a_wrong_scheme_on_change_writes_nothing(bakery):
    b = bakery
    line = client_for(b["hr"]).post(create_url(b), body("employer_top_up"), format="json").json()
    response = client_for(b["hr"]).patch(line_url(line["id"]), {"scheme": "poe"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "scheme"
    assert FundingLine.objects.get().scheme == "employer_top_up"
