"""Rule 15: an employee need not tell their employer; the employer learns nothing until the candidate
involves them, and the choice, dated, may be withdrawn for what comes next."""

import datetime

import pytest
from django.urls import reverse

from clea.absences import services as absences
from clea.absences.models import AbsenceRequest
from clea.dossiers import services as dossiers
from clea.dossiers.models import Dossier
from clea.lib.errors import Conflict, RuleViolation
from tests.api.test_dossiers_api import client_for
from tests.dossiers.builders import TODAY, open_dossier

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.fixture
def discreet(cast, path_setting):
    """An employee of the bakery who did not tell it: no employer on her dossier."""
    dossier = open_dossier(path_setting, candidate_status="employee")
    return {**path_setting, "dossier": dossier, "hr": cast.employer}


def ask_absence(s):
    start = TODAY + datetime.timedelta(days=70)
    return absences.request_absence(
        s["dossier"],
        requested_on=TODAY,
        start_date=start,
        end_date=start + datetime.timedelta(days=20),
        hours=35,
        by=s["evaluator"],
        today=TODAY,
    )


def employer_sees(client, s) -> dict[str, bool]:
    """What the bakery's contact sees of the dossier, on the screens and through the API."""
    client.force_login(s["hr"])
    funding = client.get(reverse("absences:employer_funding", args=[s["dossier"].public_id]))
    api = client_for(s["hr"])
    return {
        "funding_screen": funding.status_code == 200,
        "funding_api": api.get(f"{V1}/dossiers/{s['dossier'].public_id}/funding-lines/").status_code == 200,
        "absences": bool(AbsenceRequest.objects.visible_to(s["hr"]).filter(dossier=s["dossier"]).exists()),
    }


def test_an_employee_needs_no_employer_and_the_employer_sees_nothing(client, discreet):
    assert discreet["dossier"].employer is None and not discreet["dossier"].employer_involved
    assert employer_sees(client, discreet) == {"funding_screen": False, "funding_api": False, "absences": False}
    with pytest.raises(RuleViolation, match="employeur que le candidat salarié associe"):
        ask_absence(discreet)


def test_involving_then_withdrawing_the_employer(client, discreet):
    s = discreet
    s["dossier"] = dossier = dossiers.involve_employer(s["dossier"], s["employer"], by=s["evaluator"])
    assert dossier.employer_involved and dossier.employer_involved_at is not None
    assert employer_sees(client, s)["funding_screen"] and employer_sees(client, s)["funding_api"]
    request = ask_absence(s)
    assert employer_sees(client, s)["absences"]

    s["dossier"] = dossier = dossiers.end_employer_involvement(dossier, by=s["evaluator"])
    assert not dossier.employer_involved and dossier.employer_involvement_ended_at is not None
    seen = employer_sees(client, s)
    assert not seen["funding_screen"] and not seen["funding_api"]  # nothing of what comes next
    assert seen["absences"]  # the request it was sent stays, with its answer due
    with pytest.raises(RuleViolation, match="associe"):
        ask_absence(s)
    assert AbsenceRequest.objects.filter(dossier=dossier).get() == request
    summaries = list(Dossier.objects.get(pk=dossier.pk).events.values_list("summary", flat=True))
    assert "Le candidat associe son employeur « Boulangerie Dupont »" in summaries
    assert "Le candidat n'associe plus son employeur « Boulangerie Dupont »" in summaries


@pytest.mark.parametrize(
    ("setup", "error", "message"),
    [
        (lambda s: Dossier.objects.filter(pk=s["dossier"].pk).update(state="withdrawn"), Conflict, "fermé"),
        (lambda s: dossiers.involve_employer(s["dossier"], s["employer"], by=s["evaluator"]), Conflict, "déjà associé"),
    ],
    ids=["closed", "already-involved"],
)
def test_involvement_refusals(discreet, setup, error, message):
    setup(discreet)
    dossier = Dossier.objects.get(pk=discreet["dossier"].pk)
    with pytest.raises(error, match=message):
        dossiers.involve_employer(dossier, discreet["employer"], by=discreet["evaluator"])


def test_an_organisation_that_is_not_an_employer_is_refused(discreet):
    with pytest.raises(RuleViolation, match="type employeur"):
        dossiers.involve_employer(discreet["dossier"], discreet["organisation"], by=discreet["evaluator"])
    assert not Dossier.objects.get(pk=discreet["dossier"].pk).employer_involved


def test_the_evaluator_records_the_choice_on_the_dossier_page(client, discreet):
    s = discreet
    client.force_login(s["evaluator"])
    url = reverse("dossiers:detail", args=[s["dossier"].public_id])
    assert "n'est pas obligé d'en parler à son employeur" in client.get(url).content.decode()
    client.post(reverse("dossiers:employer_involve", args=[s["dossier"].public_id]), {"employer": ""})
    assert not Dossier.objects.get(pk=s["dossier"].pk).employer_involved
    client.post(
        reverse("dossiers:employer_involve", args=[s["dossier"].public_id]), {"employer": str(s["employer"].public_id)}
    )
    assert Dossier.objects.get(pk=s["dossier"].pk).employer_involved
    assert "Le candidat retire son employeur" in client.get(url).content.decode()
    client.post(reverse("dossiers:employer_end", args=[s["dossier"].public_id]))
    assert not Dossier.objects.get(pk=s["dossier"].pk).employer_involved


def test_naming_an_employer_at_opening_is_the_choice_to_involve_it(path_setting):
    dossier = open_dossier(path_setting, candidate_status="employee", employer=path_setting["employer"])
    assert dossier.employer_involved
    # A job seeker names the employer about to hire them (POE): involved the same way.
    future = open_dossier(path_setting, birth_name="Autre", employer=path_setting["employer"])
    assert future.candidate_status != "employee" and future.employer_involved
