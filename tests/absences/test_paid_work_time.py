"""Rule 16: the employee on CPF work time keeps their pay. Recorded on the request (never unset), shown to
the employer and the evaluator, and carried into the dossier's funding once the request is accepted."""

import datetime
import html

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from clea.absences import services as absences
from clea.absences.models import AbsenceRequest
from clea.funding.models import PAID_WORK_TIME, FundingLine
from clea.lib.errors import Conflict, RuleViolation
from tests.dossiers.builders import TODAY, open_dossier

pytestmark = pytest.mark.django_db
START = TODAY + datetime.timedelta(days=70)


@pytest.fixture
def employee(cast, path_setting):
    s = path_setting
    return {**s, "dossier": open_dossier(s, candidate_status="employee", employer=s["employer"]), "hr": cast.employer}


def ask(e, **extra):
    return absences.request_absence(
        e["dossier"],
        requested_on=TODAY,
        start_date=START,
        end_date=START + datetime.timedelta(days=20),
        hours=35,
        by=e["evaluator"],
        today=TODAY,
        **extra,
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def pay_lines(e):
    return FundingLine.objects.filter(dossier=e["dossier"], paid_work_hours__isnull=False)


def test_pay_is_recorded_on_the_request_and_cannot_be_unset(employee):
    request = ask(employee)
    assert request.pay_maintained
    with pytest.raises(RuleViolation, match="rémunération est maintenue") as refused:
        ask(employee, pay_maintained=False)
    assert refused.value.field == "pay_maintained"
    assert AbsenceRequest.objects.count() == 1
    with transaction.atomic(), pytest.raises(IntegrityError):  # the database holds it too
        AbsenceRequest.objects.filter(pk=request.pk).update(pay_maintained=False)


def test_the_request_form_shows_it_locked(client, employee):
    client.force_login(employee["evaluator"])
    url = reverse("absences:create", args=[employee["dossier"].public_id])
    page = text(client.get(url))
    assert PAID_WORK_TIME in page and "disabled" in page
    body = {"requested_on": TODAY.isoformat(), "start_date": START.isoformat(), "end_date": START.isoformat()}
    assert client.post(url, {**body, "hours": "14", "pay_maintained": ""}).status_code == 302
    assert AbsenceRequest.objects.get().pay_maintained  # a posted "unticked" cannot unset it


ANSWERS = {
    "accepted": {"decision": "accepted"},
    "other_dates": {
        "decision": "other_dates",
        "other_start": TODAY + datetime.timedelta(days=90),
        "other_end": TODAY + datetime.timedelta(days=100),
    },
}


@pytest.mark.parametrize("answer", ANSWERS)
def test_an_accepted_request_puts_the_paid_hours_into_funding_once(employee, answer):
    request = ask(employee)
    assert not pay_lines(employee).exists()  # nothing until the employer accepts
    absences.answer_absence(request, by=employee["hr"], today=TODAY, **ANSWERS[answer])
    line = pay_lines(employee).get()
    assert (line.step, line.scheme, line.funder, line.amount, line.state, line.paid_work_hours) == (
        "training",
        "cpf",
        "Boulangerie Dupont",
        0,
        "agreed",
        35,
    )
    assert line.created_by == employee["hr"] and line.recorded_by_employer is None
    assert str(line) == f"Formation — CPF (Compte personnel de formation) : 35 h — {PAID_WORK_TIME}"
    request.refresh_from_db()
    assert request.pay_line == line
    # A second answer is refused, the daily task skips answered requests: still one line.
    with pytest.raises(Conflict):
        absences.answer_absence(request, by=employee["hr"], today=TODAY, decision="accepted")
    assert absences.accept_silent_requests(TODAY + datetime.timedelta(days=31)) == 0
    assert pay_lines(employee).count() == 1
    assert (
        employee["dossier"].events.filter(summary__contains="rémunération maintenue par « Boulangerie Dupont »").count()
        == 1
    )


def test_tacit_acceptance_writes_the_line_once_by_nobody(employee):
    request = ask(employee)
    later = TODAY + datetime.timedelta(days=31)
    assert absences.accept_silent_requests(later) == 1
    assert absences.accept_silent_requests(later) == 0
    line = pay_lines(employee).get()
    assert line.paid_work_hours == 35 and line.created_by is None
    assert AbsenceRequest.objects.get(pk=request.pk).pay_line == line


def test_carrying_pay_is_idempotent_even_called_again(employee):
    """The link on the request is the guard: running the carry again on an accepted request adds nothing."""
    request = ask(employee)
    absences.answer_absence(request, by=employee["hr"], today=TODAY, decision="accepted")
    request = AbsenceRequest.objects.select_related("dossier", "employer").get(pk=request.pk)
    absences._carry_pay(request, by=employee["hr"])
    assert pay_lines(employee).count() == 1


def test_both_sides_read_it(client, employee):
    request = ask(employee)
    client.force_login(employee["hr"])
    assert PAID_WORK_TIME in text(client.get(reverse("absences:answer", args=[request.public_id])))
    assert PAID_WORK_TIME in text(client.get(reverse("absences:list")))
    absences.answer_absence(request, by=employee["hr"], today=TODAY, decision="accepted")
    funding = text(client.get(reverse("absences:employer_funding", args=[employee["dossier"].public_id])))
    assert f"35 h — {PAID_WORK_TIME}" in funding
    client.force_login(employee["evaluator"])
    assert PAID_WORK_TIME in text(client.get(reverse("absences:list")))


def test_the_funding_export_carries_the_paid_hours(client, employee):
    request = ask(employee)
    absences.answer_absence(request, by=employee["hr"], today=TODAY, decision="accepted")
    client.force_login(employee["evaluator"])
    rows = [r.split(";") for r in client.get(reverse("funding:export")).content.decode("utf-8-sig").splitlines()]
    assert rows[0][-2:] == ["heures sur le temps de travail", "rémunération"]
    [line] = rows[1:]
    assert line[5:] == [
        "CPF (Compte personnel de formation)",
        "Boulangerie Dupont",
        "0,00",
        "Accordé",
        "35",
        PAID_WORK_TIME,
    ]
