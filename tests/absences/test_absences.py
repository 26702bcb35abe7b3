"""Absence authorisations: recorded with legal dates, answered by the employer, tacit acceptance."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from clea.absences import services as absences
from clea.absences.models import AbsenceRequest
from clea.dossiers.models import Dossier
from clea.lib.errors import Conflict, RuleViolation
from tests.dossiers.builders import TODAY, open_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee(cast, path_setting):
    s = path_setting
    dossier = open_dossier(s, candidate_status="employee", employer=s["employer"])
    hr = cast.employer  # the bakery's contact
    return {**s, "dossier": dossier, "hr": hr}


def _request(e, *, requested_on=TODAY, start=TODAY + datetime.timedelta(days=70), days=20):
    return absences.request_absence(
        e["dossier"],
        requested_on=requested_on,
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        hours=35,
        by=e["evaluator"],
        today=TODAY,
    )


def test_request_on_time_then_accepted(employee):
    request = _request(employee)
    assert (request.request_late, request.answer_due) == (False, TODAY + datetime.timedelta(days=30))
    absences.answer_absence(request, decision="accepted", by=employee["hr"], today=TODAY)
    request.refresh_from_db()
    assert request.status == "accepted" and request.answered_by == employee["hr"]


def test_late_request_is_recorded_but_flagged(employee):
    request = _request(employee, start=TODAY + datetime.timedelta(days=20))
    assert request.request_late
    assert "hors délai" in employee["dossier"].events.last().summary


def test_the_employer_cannot_refuse_only_choose_other_dates(employee):
    request = _request(employee)
    for reason in ("", "Période de forte activité"):
        with pytest.raises(RuleViolation, match="ne peut pas la refuser, seulement choisir d'autres dates"):
            absences.answer_absence(request, decision="refused", reason=reason, by=employee["hr"], today=TODAY)
    request.refresh_from_db()
    assert request.status == "pending" and request.answered_at is None
    with pytest.raises(RuleViolation, match="ne peuvent pas commencer avant aujourd'hui"):
        absences.answer_absence(
            request,
            decision="other_dates",
            by=employee["hr"],
            today=TODAY,
            other_start=TODAY - datetime.timedelta(days=3),
            other_end=TODAY + datetime.timedelta(days=3),
        )
    with pytest.raises(RuleViolation, match="autres dates"):
        absences.answer_absence(request, decision="other_dates", by=employee["hr"], today=TODAY)
    absences.answer_absence(
        request,
        decision="other_dates",
        by=employee["hr"],
        today=TODAY,
        other_start=TODAY + datetime.timedelta(days=90),
        other_end=TODAY + datetime.timedelta(days=100),
    )
    request.refresh_from_db()
    assert request.status == "other_dates" and request.other_start_date == TODAY + datetime.timedelta(days=90)
    with pytest.raises(Conflict, match="déjà reçu une réponse"):
        absences.answer_absence(request, decision="accepted", by=employee["hr"], today=TODAY)


def test_silence_is_acceptance_and_a_late_answer_is_refused(employee):
    request = _request(employee)
    with time_machine.travel(datetime.datetime(2026, 12, 27, 12, tzinfo=datetime.UTC)):
        call_command("run_daily_tasks", stdout=io.StringIO())
    assert AbsenceRequest.objects.get(pk=request.pk).status == "pending"
    with time_machine.travel(datetime.datetime(2026, 12, 28, 12, tzinfo=datetime.UTC)):
        call_command("run_daily_tasks", stdout=io.StringIO())
    request.refresh_from_db()
    assert request.status == "tacitly_accepted"
    with pytest.raises(Conflict, match="acceptée tacitement"):
        absences.answer_absence(
            request, decision="refused", reason="non", by=employee["hr"], today=datetime.date(2026, 12, 28)
        )
    assert AbsenceRequest.objects.get(pk=request.pk).status == "tacitly_accepted"


def test_only_employees_with_an_employer(path_setting):
    dossier = open_dossier(path_setting)
    with pytest.raises(RuleViolation, match="salarié"):
        absences.request_absence(
            dossier,
            requested_on=TODAY,
            start_date=TODAY,
            end_date=TODAY,
            hours=7,
            by=path_setting["evaluator"],
            today=TODAY,
        )
    assert not AbsenceRequest.objects.exists()


CAST = ["hr", "evaluator", "outsider", "trainer", "certifier"]


@pytest.mark.parametrize("name", CAST)
def test_answer_page_permissions(client, employee, name):
    request = _request(employee)
    client.force_login(employee[name])
    response = client.post(reverse("absences:answer", args=[request.public_id]), {"decision": "accepted"})
    expected = {"hr": 302, "evaluator": 403, "certifier": 403}.get(name, 404)
    assert response.status_code == expected
    assert (AbsenceRequest.objects.get(pk=request.pk).status == "accepted") == (name == "hr")


@pytest.mark.parametrize("name", CAST)
def test_request_page_permissions(client, employee, name):
    client.force_login(employee[name])
    url = reverse("absences:create", args=[employee["dossier"].public_id])
    response = client.post(
        url, {"requested_on": TODAY.isoformat(), "start_date": "2027-03-01", "end_date": "2027-03-10", "hours": "21"}
    )
    expected = {"evaluator": 302, "certifier": 403}.get(name, 404)
    assert response.status_code == expected
    assert AbsenceRequest.objects.exists() == (name == "evaluator")


def test_employer_list_shows_own_requests(client, employee):
    _request(employee)
    client.force_login(employee["hr"])
    page = client.get(reverse("absences:list"))
    assert len(page.context["page_obj"]) == 1
    client.force_login(employee["outsider"])
    assert len(client.get(reverse("absences:list")).context["page_obj"]) == 0
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("name", ["hr", "evaluator", "outsider"])
def test_employer_records_a_top_up(client, employee, name):
    from clea.funding.models import FundingLine

    client.force_login(employee[name])
    url = reverse("absences:employer_funding", args=[employee["dossier"].public_id])
    response = client.post(url, {"step": "training", "scheme": "employer_top_up", "amount": "300", "state": "agreed"})
    assert response.status_code == (302 if name == "hr" else 404)
    lines = FundingLine.objects.filter(dossier=employee["dossier"])
    assert lines.exists() == (name == "hr")
    if name == "hr":
        assert lines.get().funder == employee["employer"].name
        bad = client.post(url, {"step": "training", "scheme": "cpf", "amount": "10", "state": "agreed"})
        assert bad.status_code == 400
