"""Issuing certificates: national numbers without gaps, idempotence, refusals, the fee ledger."""

import datetime

import pytest

from clea.certificates import codes
from clea.certificates.models import Certificate, CertificateCounter
from clea.certificates.services import issue_certificate, issue_for_session
from clea.funding.models import FeeEntry, FeeKind
from clea.jury.models import Outcome
from clea.lib.errors import Conflict
from tests.certificates.builders import awarded, certified_copies, closed_session, decide, dossier_awaiting_jury

pytestmark = pytest.mark.django_db


def test_issue_gives_a_national_number_and_freezes_the_holder(path_setting, decision):
    s = path_setting
    certificate = issue_certificate(decision, by=s["certifier"])
    assert certificate.number == "CLEA-2026-000001"
    assert (certificate.year, certificate.sequence) == (2026, 1)
    assert codes.is_well_formed(certificate.verification_code)
    dossier = decision.entry.dossier
    candidate = dossier.candidate
    assert certificate.holder_birth_name == candidate.birth_name
    assert certificate.holder_first_names == "Léa Marie"
    assert certificate.holder_birth_date == datetime.date(1990, 5, 17)
    assert certificate.holder_birth_commune_code == "35238"
    assert certificate.awarded_on == decision.entry.session.date
    assert certificate.jury_session == decision.entry.session
    assert certificate.issued_by == s["certifier"]
    # A later change of the candidate's record does not change the certificate.
    candidate.usage_name = "Martin"
    candidate.save()
    certificate.refresh_from_db()
    assert certificate.holder_usage_name == ""


def test_issue_is_idempotent_and_feeds_the_ledger_once(path_setting, decision):
    s = path_setting
    first = issue_certificate(decision, by=s["certifier"])
    again = issue_certificate(decision, by=s["certifier"])
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1
    assert CertificateCounter.objects.get().last_sequence == 1
    fee = FeeEntry.objects.get(kind=FeeKind.CERTIFICATE)
    assert fee.amount_cents == 500
    assert fee.organisation == s["organisation"]
    assert fee.dossier == decision.entry.dossier


@pytest.mark.parametrize("outcome", [Outcome.NOT_AWARDED, Outcome.ADJOURNED])
def test_no_certificate_without_award(path_setting, session, outcome):
    s = path_setting
    decision = decide(s, session, dossier_awaiting_jury(s), outcome=outcome)
    with pytest.raises(Conflict, match="pas de certificat"):
        issue_certificate(decision, by=s["certifier"])
    assert not Certificate.objects.exists()
    assert not CertificateCounter.objects.filter(last_sequence__gt=0).exists()


def test_no_certificate_before_the_session_is_closed(path_setting):
    s = path_setting
    decision = awarded(s, closed_session(s, status="planned"))
    with pytest.raises(Conflict, match="pas close"):
        issue_certificate(decision, by=s["certifier"])
    with pytest.raises(Conflict, match="pas close"):
        issue_for_session(decision.entry.session, by=s["certifier"])


def test_no_certificate_for_a_dossier_not_certified(path_setting, decision):
    s = path_setting
    dossier = decision.entry.dossier
    type(dossier).objects.filter(pk=dossier.pk).update(state="awaiting_jury")
    with pytest.raises(Conflict, match="certifié"):
        issue_certificate(decision, by=s["certifier"])


def test_one_certificate_per_dossier(path_setting, decision):
    s = path_setting
    first = issue_certificate(decision, by=s["certifier"])
    other = decide(s, closed_session(s), decision.entry.dossier)
    with pytest.raises(Conflict, match=first.number):
        issue_certificate(other, by=s["certifier"])


def test_issue_for_session_takes_every_award_only(path_setting, session):
    s = path_setting
    first = awarded(s, session)
    decide(s, session, dossier_awaiting_jury(s), outcome=Outcome.NOT_AWARDED)
    second = awarded(s, session)
    certificates = issue_for_session(session, by=s["certifier"])
    assert [c.decision_id for c in certificates] == [first.pk, second.pk]
    assert [c.number for c in certificates] == ["CLEA-2026-000001", "CLEA-2026-000002"]
    # Again: nothing new.
    assert [c.pk for c in issue_for_session(session, by=s["certifier"])] == [c.pk for c in certificates]
    assert Certificate.objects.count() == 2


def test_many_sequential_issuances_are_gap_free_per_certification_and_year(path_setting):
    s = path_setting
    template = dossier_awaiting_jury(s)
    this_year = closed_session(s, date=datetime.date(2026, 3, 2))
    last_year = closed_session(s, date=datetime.date(2025, 12, 15))
    decisions = certified_copies(s, template, this_year, 25) + certified_copies(s, template, last_year, 5)
    for decision in decisions:
        issue_certificate(decision, by=s["certifier"])
    by_year = {
        year: sorted(Certificate.objects.filter(year=year).values_list("sequence", flat=True)) for year in (2025, 2026)
    }
    assert by_year == {2026: list(range(1, 26)), 2025: list(range(1, 6))}
    assert Certificate.objects.filter(number="CLEA-2025-000005").exists()
    assert Certificate.objects.values("verification_code").distinct().count() == 30
    assert Certificate.objects.values("cpf_technical_id").distinct().count() == 30


def test_a_failed_issuance_gives_its_number_back(path_setting, session, monkeypatch):
    """The number is taken in the transaction that creates the certificate: a rollback leaves no gap."""
    s = path_setting
    first, second = awarded(s, session), awarded(s, session)
    issue_certificate(first, by=s["certifier"])

    def broken_ledger(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr("clea.certificates.services.record_fee", broken_ledger)
    with pytest.raises(RuntimeError):
        issue_certificate(second, by=s["certifier"])
    assert CertificateCounter.objects.get().last_sequence == 1
    monkeypatch.undo()
    assert issue_certificate(second, by=s["certifier"]).number == "CLEA-2026-000002"
