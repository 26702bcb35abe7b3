"""Referrals from prescribers: send, then accepted (a dossier is opened from it) or declined."""

from __future__ import annotations

import datetime
from typing import Any, NotRequired, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.dossiers.models import Dossier
from clea.dossiers.services import habilitation_covering, open_dossier
from clea.lib.errors import Conflict, RuleViolation
from clea.notifications.models import Kind
from clea.notifications.sending import members, notify
from clea.organisations.models import Organisation, OrganisationKind, Role
from clea.referentiel.models import Certification
from clea.referrals.models import Referral, ReferralStatus


def habilitated_today(organisation: Organisation, certification: Certification, today: datetime.date) -> bool:
    """Same test as opening a dossier: a valid habilitation covering the organisation's own region."""
    return habilitation_covering(organisation, certification, today) is not None


@transaction.atomic
def send_referral(
    *,
    prescriber: Organisation,
    adviser: User,
    evaluator_organisation: Organisation,
    certification: Certification,
    person: dict[str, Any],
    candidate_status: str,
    consent: bool,
    share_results: bool,
    note: str,
    today: datetime.date,
) -> Referral:
    if prescriber.kind != OrganisationKind.PRESCRIBER:
        raise RuleViolation("Seul un prescripteur oriente une personne.")
    if not consent:
        raise RuleViolation("Le consentement de la personne est nécessaire pour l'orienter.", field="consent")
    if evaluator_organisation.kind != OrganisationKind.EVALUATOR or not habilitated_today(
        evaluator_organisation, certification, today
    ):
        raise RuleViolation(
            f"« {evaluator_organisation.name} » n'est pas habilité aujourd'hui pour {certification.name} : "
            "choisissez un organisme de l'annuaire.",
            field="evaluator_organisation",
        )
    referral = Referral.objects.create(
        prescriber=prescriber,
        adviser=adviser,
        evaluator_organisation=evaluator_organisation,
        certification=certification,
        candidate_status=candidate_status,
        consent_at=timezone.now(),
        share_results=share_results,
        note=note,
        **person,
    )
    notify(
        Kind.REFERRAL_RECEIVED,
        template="referral_received",
        context={"prescriber": prescriber.name, "certification": certification.name},
        users=members(evaluator_organisation, [Role.ADMIN, Role.EVALUATOR]),
        organisation=evaluator_organisation,
    )
    return referral


def _pending(referral: Referral) -> Referral:
    referral = Referral.objects.select_for_update(of=("self",)).select_related("prescriber").get(pk=referral.pk)
    if referral.status != ReferralStatus.SENT:
        raise Conflict("Cette orientation a déjà reçu une réponse.")
    return referral


class OpeningFromReferral(TypedDict):
    """What the evaluator adds to a referral to open its dossier (the rest of ``open_dossier``'s parameters)."""

    candidate: dict[str, Any]
    candidate_status: str
    consent: bool
    employer: NotRequired[Organisation | None]
    evaluator: NotRequired[User | None]


@transaction.atomic
def accept_referral(
    referral: Referral, *, by: User, today: datetime.date, **dossier_params: Unpack[OpeningFromReferral]
) -> Dossier:
    """Open the dossier from the referral (same checks as any opening) and link them."""
    referral = _pending(referral)
    dossier = open_dossier(
        organisation=referral.evaluator_organisation,
        certification=referral.certification,
        initiator="prescriber",
        prescriber_type=referral.prescriber.prescriber_type,
        prescriber=referral.prescriber,
        by=by,
        today=today,
        **dossier_params,
    )
    referral.status, referral.answered_at, referral.answered_by, referral.dossier = (
        ReferralStatus.ACCEPTED,
        timezone.now(),
        by,
        dossier,
    )
    referral.save()
    _tell_prescriber(referral, "referral_accepted")
    return dossier


@transaction.atomic
def decline_referral(referral: Referral, *, reason: str, by: User) -> Referral:
    referral = _pending(referral)
    if not reason.strip():
        raise RuleViolation("Indiquez le motif, il est transmis au prescripteur.", field="reason")
    referral.status, referral.answered_at, referral.answered_by, referral.decline_reason = (
        ReferralStatus.DECLINED,
        timezone.now(),
        by,
        reason,
    )
    referral.save()
    _tell_prescriber(referral, "referral_declined", reason=reason)
    return referral


def _tell_prescriber(referral: Referral, template: str, *, reason: str = "") -> None:
    notify(
        Kind.REFERRAL_ANSWERED,
        template=template,
        context={"organisation": referral.evaluator_organisation.name, "reason": reason},
        users=[referral.adviser],
        organisation=referral.prescriber,
    )


def referral_initial(referral: Referral) -> dict[str, object]:
    """What the opening form can be prefilled with."""
    return {
        "certification": referral.certification_id,
        "birth_name": referral.birth_name,
        "first_names": referral.first_names,
        "birth_date": referral.birth_date,
        "email": referral.email,
        "phone": referral.phone,
        "candidate_status": referral.candidate_status,
        "initiator": "prescriber",
        "prescriber_type": referral.prescriber.prescriber_type,
        "prescriber": referral.prescriber.public_id,
    }
