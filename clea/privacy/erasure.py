"""Anonymising an ended dossier (rule 23): what identifies the person goes, what proves and counts stays.

Kept: the certificate's holder identity (name, first names, birth date and place: the minimum to verify
and duplicate it), the jury's decision and its signed minutes, judgements without their comments,
funding lines, fees, dates and states (statistics). Erased: the candidate's contact data and address,
the day and month of birth, free texts written about the person, the candidate's login, the contact data
of the referral and of the meeting request the dossier came from, the postal addresses of mailings.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction

from clea.absences.models import AbsenceRequest
from clea.accounts import second_factor
from clea.accounts.models import User, UserSession
from clea.candidates.models import CandidateAccount, Invitation
from clea.certificates.models import Mailing
from clea.dossiers.models import Candidate, Dossier, DossierEvent, EventKind, InformationMeeting, TransferRequest
from clea.dossiers.services import lock_dossier, record_event
from clea.evaluations.models import CriterionJudgement
from clea.lib.errors import Conflict
from clea.meetings.models import MeetingRequest
from clea.meetings.services import ERASED
from clea.privacy.models import Anonymisation, PrivacyRequest
from clea.referrals.models import Referral
from clea.training.models import ProgressNote

ANONYMOUS = "ANONYME"


def departement_of(postcode: str) -> str:
    """The département part of a postcode, kept for regional statistics (3 digits overseas)."""
    return postcode[:3] if postcode.startswith("97") or postcode.startswith("98") else postcode[:2]


def year_only(day: datetime.date) -> datetime.date:
    """Age statistics survive; the exact birth date does not."""
    return day.replace(month=1, day=1)


@transaction.atomic
def anonymise_dossier(dossier: Dossier, *, by: User | None, reason: str) -> Anonymisation:
    dossier = lock_dossier(dossier)
    # The person's row too: two of their dossiers erased at once must not both leave the identity behind.
    Candidate.objects.select_for_update().filter(pk=dossier.candidate_id).first()
    if Anonymisation.objects.filter(dossier=dossier).exists():
        raise Conflict("Ce dossier est déjà anonymisé.")
    if dossier.is_open:
        raise Conflict("Ce dossier est en cours : il doit d'abord être clos (abandon ou clôture).")
    InformationMeeting.objects.filter(dossier=dossier).exclude(notes="").update(notes="")
    CriterionJudgement.objects.filter(evaluation__dossier=dossier).exclude(comment="", correction_reason="").update(
        comment="", correction_reason=""
    )
    AbsenceRequest.objects.filter(dossier=dossier).exclude(refusal_reason="").update(refusal_reason="")
    TransferRequest.objects.filter(dossier=dossier).update(reason=ERASED, answer_reason="")
    PrivacyRequest.objects.filter(dossier=dossier).exclude(message="").update(message="")
    ProgressNote.objects.filter(path__dossier=dossier).update(note=ERASED)
    DossierEvent.objects.filter(dossier=dossier).exclude(reason="").update(reason="")
    Mailing.objects.filter(certificate__dossier=dossier).update(address_lines=[], postcode="", return_reason="")
    for referral in Referral.objects.filter(dossier=dossier):
        referral.birth_name, referral.first_names = ANONYMOUS, ERASED
        referral.email = referral.phone = referral.note = ""
        referral.birth_date = year_only(referral.birth_date)
        referral.save(update_fields=["birth_name", "first_names", "email", "phone", "note", "birth_date"])
    MeetingRequest.objects.filter(dossier=dossier).update(
        first_name=ERASED, last_name=ERASED, email="", phone="", preferred_times=""
    )
    anonymisation = Anonymisation.objects.create(dossier=dossier, by=by, reason=reason)
    if not Dossier.objects.filter(candidate_id=dossier.candidate_id, anonymisation__isnull=True).exists():
        _anonymise_candidate(dossier.candidate)
    record_event(dossier, EventKind.ANONYMISED, "Données personnelles anonymisées", by=by, reason=reason)
    return anonymisation


def _anonymise_candidate(candidate: Candidate) -> None:
    """Once none of the person's dossiers needs it, the identity itself goes (the certificate keeps its copy)."""
    account = CandidateAccount.objects.filter(candidate=candidate).select_related("user").first()
    if account is not None:
        user = account.user
        account.delete()
        user.email = f"anonyme-{uuid.uuid4().hex}@anonyme.invalid"
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        UserSession.objects.filter(user=user).delete()
        second_factor.remove_devices(user)
    Invitation.objects.filter(candidate=candidate).delete()
    candidate.birth_name, candidate.first_names = ANONYMOUS, ERASED
    candidate.usage_name = candidate.birth_country_declared = ""
    candidate.birth_country = None
    candidate.address_line1 = candidate.address_line2 = candidate.email = candidate.phone = ""
    candidate.postcode = departement_of(candidate.postcode)
    candidate.birth_date = year_only(candidate.birth_date)
    candidate.birth_commune = candidate.commune = None
    candidate.save()
    # After save(): the model recomputes the key from the identity; an anonymous one matches nobody.
    Candidate.objects.filter(pk=candidate.pk).update(identity_key=f"anonymised|{candidate.public_id}")
