"""Deliberation: quorum, eligibility, conflicts, joint decisions, closing and immutability."""

import pytest

from clea.dossiers.models import Dossier
from clea.jury import services
from clea.jury.models import Decision
from clea.lib.errors import Conflict, RuleViolation
from tests.dossiers.builders import dossier_awaiting_jury

pytestmark = pytest.mark.django_db


def _present(j, *members):
    services.record_attendance(j["session"], present_ids={m.pk for m in members}, by=j["organiser"])


def test_no_decision_without_quorum(jury_setting):
    j = jury_setting
    dossier = dossier_awaiting_jury(j)
    [entry] = services.put_on_session(j["session"], [dossier], by=j["organiser"])
    _present(j, j["employer_rep"], j["neutral"])
    with pytest.raises(Conflict, match="Quorum non atteint"):
        services.decide(entry, outcome="awarded", reasons="", votes_for=2, by=j["organiser"])
    assert not Decision.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).state == "at_jury"


def test_clean_dossiers_awarded_together_one_decision_each(jury_setting):
    j = jury_setting
    first, second = dossier_awaiting_jury(j, birth_name="Un"), dossier_awaiting_jury(j, birth_name="Deux")
    entries = services.put_on_session(j["session"], [first, second], by=j["organiser"])
    assert all(e.is_clean for e in entries)
    _present(j, j["employer_rep"], j["employee_rep"], j["neutral"])
    decisions = services.award_clean_together(j["session"], entries, by=j["organiser"])
    assert len(decisions) == 2
    # The employer's representative does not vote on its employees' dossiers (none here: job seekers).
    assert {d.votes_for for d in decisions} == {3}
    assert set(Dossier.objects.values_list("state", flat=True)) == {"certified"}


def test_member_from_employer_does_not_vote(jury_setting):
    j = jury_setting
    dossier = dossier_awaiting_jury(j)
    Dossier.objects.filter(pk=dossier.pk).update(employer=j["employer"], candidate_status="employee")
    [entry] = services.put_on_session(j["session"], [dossier], by=j["organiser"])
    _present(j, j["employer_rep"], j["employee_rep"], j["neutral"])
    with pytest.raises(RuleViolation, match="dépasse"):
        services.decide(entry, outcome="awarded", reasons="", votes_for=3, by=j["organiser"])
    decision = services.decide(entry, outcome="awarded", reasons="", votes_for=2, by=j["organiser"])
    assert list(decision.excluded_members.all()) == [j["employer_rep"]]


def test_ineligible_dossier_cannot_be_awarded(jury_setting):
    j = jury_setting
    dossier = dossier_awaiting_jury(j)
    # The engine would say otherwise after a correction that makes 1.1.1 and 1.1.2 not acquired.
    from clea.evaluations.models import CriterionJudgement
    from clea.referentiel.models import Criterion

    evaluation = dossier.evaluations.get()
    for code in ("1.1.1", "1.1.2"):
        CriterionJudgement.objects.create(
            evaluation=evaluation,
            judgement="not_acquired",
            recorded_by=j["evaluator"],
            criterion=Criterion.objects.get(version=dossier.referentiel_version, code=code),
            correction_reason="test",
        )
    [entry] = services.put_on_session(j["session"], [dossier], by=j["organiser"])
    assert any("pas éligible" in p for p in entry.precheck_problems)
    _present(j, j["employer_rep"], j["employee_rep"])
    with pytest.raises(Conflict, match="ne déclare pas ce dossier éligible"):
        services.decide(entry, outcome="awarded", reasons="", votes_for=2, by=j["organiser"])
    with pytest.raises(RuleViolation, match="anomalies"):
        services.award_clean_together(j["session"], [entry], by=j["organiser"])
    with pytest.raises(RuleViolation, match="Motivez"):
        services.decide(entry, outcome="adjourned", reasons="", votes_for=2, by=j["organiser"])
    services.decide(entry, outcome="adjourned", reasons="Domaine 1 à revoir", votes_for=2, by=j["organiser"])
    assert Dossier.objects.get(pk=dossier.pk).state == "adjourned"


def test_closing_signs_minutes_and_freezes_the_session(jury_setting):
    j = jury_setting
    dossier = dossier_awaiting_jury(j)
    [entry] = services.put_on_session(j["session"], [dossier], by=j["organiser"])
    _present(j, j["employer_rep"], j["employee_rep"])
    with pytest.raises(Conflict, match="sans décision"):
        services.close_session(j["session"], by=j["organiser"])
    services.decide(entry, outcome="awarded", reasons="", votes_for=2, by=j["organiser"])
    pdf = services.close_session(j["session"], by=j["organiser"])
    assert pdf.startswith(b"%PDF")
    j["session"].refresh_from_db()
    assert j["session"].is_closed and len(j["session"].minutes_sha256) == 64
    with pytest.raises(Conflict, match="session est close"):
        services.decide(entry, outcome="not_awarded", reasons="x", votes_for=2, by=j["organiser"])
    with pytest.raises(Conflict, match="session est close"):
        services.add_member(j["session"], full_name="Tard Venu", college="employers")
    with pytest.raises(Conflict, match=r"déjà reçu sa décision|session est close"):
        services.decide(entry, outcome="awarded", reasons="", votes_for=2, by=j["organiser"])
    assert Decision.objects.get().outcome == "awarded"


def test_only_region_and_certification_dossiers_can_be_put_on(jury_setting):
    j = jury_setting
    dossier = dossier_awaiting_jury(j)
    assert list(services.awaiting_in_region(j["session"])) == [dossier]
    services.put_on_session(j["session"], [dossier], by=j["organiser"])
    with pytest.raises(Conflict):
        services.put_on_session(j["session"], [dossier], by=j["organiser"])
