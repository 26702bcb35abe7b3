"""Rule 23 and RGPD arts. 7.3, 12.3, 17: the person withdraws consent or asks for erasure from their space;
the evaluator organisation erases within a month or refuses with a reason; a certificate stays verifiable."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from clea.accounts.models import User
from clea.certificates.models import Certificate, Mailing
from clea.dossiers.models import Candidate, DossierEvent, EventKind
from clea.dossiers.workflow import State
from clea.evaluations.models import CriterionJudgement
from clea.lib.errors import Conflict, RuleViolation
from clea.privacy import requests as privacy
from clea.privacy.erasure import ANONYMOUS, departement_of, year_only
from clea.privacy.models import Anonymisation, PrivacyRequest, RequestKind, RequestStatus

pytestmark = pytest.mark.django_db


def test_withdrawing_consent_stops_an_open_dossier_at_once(cast, path_setting):
    dossier = cast.dossier
    assert dossier.state == State.TRAINING
    request = privacy.withdraw_consent(dossier, by=cast.candidate, message="Je change de projet")
    dossier.refresh_from_db()
    assert dossier.state == State.WITHDRAWN
    assert (request.kind, request.status, request.answer_due) == (
        RequestKind.CONSENT_WITHDRAWAL,
        RequestStatus.PENDING,
        datetime.date(2026, 12, 27),  # one month from the tests' day (27 November)
    )
    kinds = list(dossier.events.order_by("pk").values_list("kind", "by"))[-2:]
    assert kinds == [(EventKind.CONSENT_WITHDRAWN, cast.candidate.pk), (EventKind.WITHDRAWN, cast.candidate.pk)]
    assert not Anonymisation.objects.exists()  # erasing is the organisation's act, within the month


def test_a_second_request_finds_the_first(cast, path_setting):
    privacy.request_erasure(cast.dossier, by=cast.candidate)
    with pytest.raises(Conflict, match="en cours"):
        privacy.withdraw_consent(cast.dossier, by=cast.candidate)
    assert PrivacyRequest.objects.count() == 1
    cast.dossier.refresh_from_db()
    assert cast.dossier.state == State.TRAINING  # the refused second request changed nothing


def _certified(cast):
    certificate = cast.certificate
    cast.mailing  # noqa: B018 (the original letter, with its address)
    return certificate


def test_erasure_of_a_certified_dossier_keeps_the_certificate_verifiable(
    cast, path_setting, client, django_capture_on_commit_callbacks
):
    certificate = _certified(cast)
    dossier = certificate.dossier
    user = _candidate_account(cast, dossier)
    judgements = CriterionJudgement.objects.filter(evaluation__dossier=dossier).count()
    request = privacy.request_erasure(dossier, by=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        privacy.carry_out(request, by=cast.org_admin)

    candidate = Candidate.objects.get(pk=dossier.candidate_id)
    assert (candidate.birth_name, candidate.email, candidate.phone, candidate.address_line1) == (ANONYMOUS, "", "", "")
    assert (candidate.commune_id, candidate.birth_commune_id, candidate.postcode) == (None, None, "35")
    assert candidate.birth_date == datetime.date(1990, 1, 1) and candidate.sex == "M"  # statistics survive
    assert not Candidate.objects.filter(identity_key__contains="martin").exists()
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert (certificate.holder_birth_name, certificate.holder_first_names) == ("Martin", "Paul")
    assert certificate.holder_birth_date == datetime.date(1990, 5, 17)
    verified = client.get(reverse("verification:result", args=[certificate.verification_code])).content.decode()
    assert "Certificat valide" in verified and "Paul M." in verified
    assert Mailing.objects.get(certificate=certificate).address_lines == []
    assert CriterionJudgement.objects.filter(evaluation__dossier=dossier).count() == judgements
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and "martin" not in user.email
    assert not hasattr(User.objects.get(pk=user.pk), "candidate_account")
    request.refresh_from_db()
    assert (request.status, request.handled_by) == (RequestStatus.ERASED, cast.org_admin)
    [sent] = mail.outbox
    assert sent.to == ["paul.martin@exemple.fr"] and "reste vérifiable" in sent.body
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.ANONYMISED, by=cast.org_admin).exists()


def _candidate_account(cast, dossier):
    from clea.candidates import services as candidates
    from tests.cast import CANDIDATE_PASSWORD

    return candidates.activate(cast._invite(dossier), password=CANDIDATE_PASSWORD)


def test_erasing_an_open_dossier_ends_it_first_and_erases_free_texts(cast, path_setting):
    dossier = cast.dossier
    CriterionJudgement.objects.filter(evaluation__dossier=dossier).update(comment="Léa lit mal les consignes")
    request = privacy.request_erasure(dossier, by=cast.candidate)
    privacy.carry_out(request, by=cast.org_admin)
    dossier.refresh_from_db()
    assert dossier.state == State.WITHDRAWN
    assert not CriterionJudgement.objects.filter(evaluation__dossier=dossier).exclude(comment="").exists()
    assert dossier.referral.birth_name == ANONYMOUS and dossier.referral.email == ""
    assert (
        not DossierEvent.objects.filter(dossier=dossier).exclude(reason="").exclude(kind=EventKind.ANONYMISED).exists()
    )


def test_a_dossier_at_the_jury_is_not_erased_and_nothing_is_written(cast, path_setting):
    dossier = cast.awarded_dossier  # presented to the jury, no decision yet
    assert dossier.state == State.AWAITING_JURY
    user = _candidate_account(cast, dossier)
    request = privacy.request_erasure(dossier, by=user)
    with pytest.raises(Conflict, match="devant le jury"):
        privacy.carry_out(request, by=cast.org_admin)
    request.refresh_from_db()
    dossier.refresh_from_db()
    assert request.status == RequestStatus.PENDING and dossier.state == State.AWAITING_JURY
    assert not Anonymisation.objects.exists()
    assert Candidate.objects.get(pk=dossier.candidate_id).birth_name == "Martin"


def test_a_refusal_needs_a_reason_and_reaches_the_person(cast, path_setting, django_capture_on_commit_callbacks):
    request = privacy.request_erasure(cast.dossier, by=cast.candidate)
    with pytest.raises(RuleViolation, match="pourquoi"):
        privacy.refuse(request, by=cast.org_admin, answer="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        privacy.refuse(
            request, by=cast.org_admin, answer="Votre parcours est financé : le financeur demande le dossier."
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and "financeur" in request.answer
    assert "financeur" in mail.outbox[-1].body
    with pytest.raises(Conflict, match="déjà été traitée"):
        privacy.carry_out(request, by=cast.org_admin)


def test_anonymising_twice_is_refused(cast, path_setting):
    request = privacy.request_erasure(cast.dossier, by=cast.candidate)
    privacy.carry_out(request, by=cast.org_admin)
    with pytest.raises(Conflict, match="déjà anonymisées"):
        privacy.request_erasure(cast.dossier, by=cast.org_admin)


@pytest.mark.parametrize(
    ("postcode", "departement"), [("35000", "35"), ("97411", "974"), ("98800", "988"), ("20000", "20"), ("", "")]
)
def test_the_departement_survives(postcode, departement):
    assert departement_of(postcode) == departement


def test_only_the_birth_year_survives():
    assert year_only(datetime.date(1990, 5, 17)) == datetime.date(1990, 1, 1)


def test_a_dossier_opened_from_a_meeting_request_is_erased_with_it(cast, path_setting):
    """The request the person sent from the directory keeps no way to reach them either."""
    from clea.meetings import services as meetings
    from clea.meetings.models import MeetingRequest

    request = meetings.submit_request(
        organisation=path_setting["organisation"],
        certification=None,
        first_name="Samia",
        last_name="Haddad",
        email="samia@exemple.fr",
        phone="0600000000",
        preferred_times="le soir",
        consent=True,
        today=datetime.date(2026, 11, 27),
    )
    meetings.link_dossier(request, cast.dossier, by=cast.evaluator)
    erasure = privacy.request_erasure(cast.dossier, by=cast.candidate)
    privacy.carry_out(erasure, by=cast.org_admin)
    request = MeetingRequest.objects.get(pk=request.pk)
    assert (request.first_name, request.email, request.phone, request.preferred_times) == ("—", "", "", "")
    assert PrivacyRequest.objects.get(pk=erasure.pk).message == ""
