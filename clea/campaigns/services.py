"""Business verbs of habilitation campaigns (docs/rules.md rules 19 and 21).

Each verb checks everything before writing, locks the application it changes (a double click or two
instructors never both act) and raises ``RuleViolation`` with a French message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.campaigns import notices, rules
from clea.campaigns.models import (
    EDITABLE_STATES,
    PENDING_STATES,
    Application,
    ApplicationDocument,
    ApplicationState,
    Campaign,
    Establishment,
    InformationRequest,
    RequiredDocument,
    Verdict,
)
from clea.funding.fees import record_organisation_fee
from clea.funding.models import FeeKind
from clea.geography.models import Region
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.roles import OrganisationKind
from clea.lib.siret import normalise_siret, siret_error
from clea.organisations.models import HabilitatedEstablishment, Habilitation, Organisation
from clea.organisations.services import grant_habilitation
from clea.referentiel.models import Certification

# --- campaigns --------------------------------------------------------------------------------------------


@transaction.atomic
def open_campaign(
    *,
    certification: Certification,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    habilitation_from: datetime.date,
    habilitation_until: datetime.date,
    documents: Sequence[str],
    admits_training: bool,
    application_fee_cents: int,
    establishment_fee_cents: int,
    by: User,
) -> Campaign:
    labels = [label.strip() for label in documents if label.strip()]
    if not title.strip():
        raise RuleViolation("Indiquez l'intitulé de la campagne.", field="title")
    if closes_on < opens_on:
        raise RuleViolation("La clôture des candidatures doit suivre leur ouverture.", field="closes_on")
    if habilitation_until <= habilitation_from:
        raise RuleViolation("La fin des habilitations doit suivre leur début.", field="habilitation_until")
    if not labels:
        raise RuleViolation("Indiquez au moins une pièce demandée.", field="documents")
    if len({label.casefold() for label in labels}) != len(labels):
        raise RuleViolation("Une pièce est demandée deux fois.", field="documents")
    if admits_training and not rules.admits_training(certification.code):
        raise RuleViolation(
            f"Les organismes de formation ne sont habilités que pour CléA numérique, pas pour {certification.name}.",
            field="admits_training",
        )
    if application_fee_cents < 0 or establishment_fee_cents < 0:
        raise RuleViolation("Une redevance ne peut pas être négative.")
    campaign = Campaign.objects.create(
        certification=certification,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        habilitation_from=habilitation_from,
        habilitation_until=habilitation_until,
        admits_training=admits_training,
        application_fee_cents=application_fee_cents,
        establishment_fee_cents=establishment_fee_cents,
        created_by=by,
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(campaign=campaign, label=label, position=index) for index, label in enumerate(labels)
    )
    return campaign


def may_apply(campaign: Campaign, organisation: Organisation) -> bool:
    if organisation.kind == OrganisationKind.EVALUATOR:
        return True
    return organisation.kind == OrganisationKind.TRAINING and campaign.admits_training


def last_habilitation(organisation: Organisation, certification: Certification) -> Habilitation | None:
    """The habilitation a new application would renew: the latest one not withdrawn."""
    return (
        Habilitation.objects.filter(organisation=organisation, certification=certification, withdrawn_on__isnull=True)
        .prefetch_related("regions", "establishments")
        .order_by("-valid_from", "-pk")
        .first()
    )


# --- applying ---------------------------------------------------------------------------------------------


@transaction.atomic
def start_application(campaign: Campaign, organisation: Organisation, *, by: User, today: datetime.date) -> Application:
    """A draft, prefilled from the organisation's last habilitation for that certification (a renewal)."""
    if not campaign.is_open(today):
        raise RuleViolation(
            f"Cette campagne reçoit les candidatures du {campaign.opens_on:%d/%m/%Y} au {campaign.closes_on:%d/%m/%Y}."
        )
    if not may_apply(campaign, organisation):
        raise RuleViolation(
            "Cette campagne est ouverte aux organismes évaluateurs"
            + (" et aux organismes de formation." if campaign.admits_training else ".")
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Application.objects.filter(campaign=campaign, organisation=organisation).exists():
        raise Conflict("Votre organisation a déjà une candidature pour cette campagne.")
    previous = last_habilitation(organisation, campaign.certification)
    application = Application.objects.create(
        campaign=campaign, organisation=organisation, renewal_of=previous, created_by=by
    )
    if previous is not None:
        application.regions.set(previous.regions.all())
        Establishment.objects.bulk_create(
            Establishment(application=application, siret=e.siret, name=e.name) for e in previous.establishments.all()
        )
    return application


def _locked(application: Application, *, states: Iterable[str] = EDITABLE_STATES) -> Application:
    locked = Application.objects.select_for_update().select_related("campaign__certification", "organisation")
    current = locked.get(pk=application.pk)
    if current.state not in tuple(states):
        raise Conflict(
            f"Cette candidature est « {current.get_state_display()} » : elle ne peut plus être modifiée ainsi."
        )
    return current


def _regions_pending_elsewhere(application: Application, regions: Iterable[Region]) -> list[str]:
    """Regions this organisation already asks for in another application for the same certification."""
    others = Application.objects.filter(
        organisation=application.organisation,
        campaign__certification=application.campaign.certification,
        state__in=PENDING_STATES,
    ).exclude(pk=application.pk)
    ids = [region.pk for region in regions]
    return sorted(
        Region.objects.filter(pk__in=ids).filter(pk__in=others.values("regions")).values_list("name", flat=True)
    )


@transaction.atomic
def set_regions(application: Application, regions: Sequence[Region], *, by: User) -> Application:
    application = _locked(application)
    if not regions:
        raise RuleViolation("Choisissez au moins une région.", field="regions")
    twice = _regions_pending_elsewhere(application, regions)
    if twice:
        raise RuleViolation(
            "Votre organisation a déjà une candidature en cours pour : " + ", ".join(twice) + ".", field="regions"
        )
    application.regions.set(regions)
    return application


def establishment_error(application: Application, raw_siret: str) -> str | None:
    """Why this SIRET cannot be added to the application, in French, or None."""
    siret = normalise_siret(raw_siret)
    message = siret_error(siret)
    if message:
        return message
    organisation = application.organisation
    if organisation.siret and siret[:9] != organisation.siret[:9]:
        return (
            f"Ce SIRET n'appartient pas à l'entreprise de votre organisation (SIREN {organisation.siret[:9]}) : "
            "un établissement a le même SIREN que son siège."
        )
    others = Organisation.objects.exclude(pk=organisation.pk)
    if (
        others.filter(siret=siret).exists()
        or HabilitatedEstablishment.objects.filter(siret=siret)
        .exclude(habilitation__organisation=organisation)
        .exists()
        or Establishment.objects.filter(siret=siret, application__state__in=PENDING_STATES)
        .exclude(application__organisation=organisation)
        .exists()
    ):
        return "Ce SIRET est celui d'une autre organisation de la plateforme."
    if application.establishments.filter(siret=siret).exists():
        return "Cet établissement figure déjà dans la candidature."
    return None


@transaction.atomic
def add_establishment(application: Application, *, siret: str, name: str, by: User) -> Establishment:
    application = _locked(application)
    if not name.strip():
        raise RuleViolation("Indiquez le nom de l'établissement.", field="name")
    message = establishment_error(application, siret)
    if message:
        raise RuleViolation(message, field="siret")
    return Establishment.objects.create(application=application, siret=normalise_siret(siret), name=name.strip())


@transaction.atomic
def remove_establishment(establishment: Establishment, *, by: User) -> None:
    _locked(establishment.application)
    establishment.delete()


@transaction.atomic
def upload_document(
    application: Application, *, required: RequiredDocument, upload: UploadedFile[bytes], by: User
) -> ApplicationDocument:
    application = _locked(application)
    if required.campaign_id != application.campaign_id:
        raise RuleViolation("Cette pièce n'est pas demandée par la campagne.", field="required")
    message = rules.upload_error(upload)
    if message:
        raise RuleViolation(message, field="file")
    document = ApplicationDocument(
        application=application,
        required=required,
        filename=(upload.name or "document.pdf")[-255:],
        size=upload.size or 0,
        uploaded_by=by,
    )
    document.file.save("document.pdf", upload, save=False)
    document.save()
    return document


def latest_documents(application: Application) -> dict[int, ApplicationDocument]:
    """The latest upload of each required piece (one query)."""
    latest: dict[int, ApplicationDocument] = {}
    for document in application.documents.order_by("required_id", "-uploaded_at", "-pk"):
        latest.setdefault(document.required_id, document)
    return latest


def missing_pieces(application: Application) -> list[str]:
    uploaded = latest_documents(application)
    return [required.label for required in application.campaign.required_documents.all() if required.pk not in uploaded]


@transaction.atomic
def submit(application: Application, *, by: User, today: datetime.date) -> Application:
    """Deposit the application (its fee is owed from then), or send it back after a request for more."""
    application = _locked(application)
    campaign = application.campaign
    first_time = application.state == ApplicationState.DRAFT
    if first_time and not campaign.is_open(today):
        raise RuleViolation(f"Les candidatures à cette campagne sont closes depuis le {campaign.closes_on:%d/%m/%Y}.")
    regions = list(application.regions.all())
    problems = []
    if not regions:
        problems.append("choisissez au moins une région")
    if not application.establishments.exists():
        problems.append("indiquez au moins un établissement (SIRET)")
    missing = missing_pieces(application)
    if missing:
        problems.append("déposez " + ", ".join(f"« {label} »" for label in missing))
    if problems:
        raise RuleViolation("Candidature incomplète : " + " ; ".join(problems) + ".")
    twice = _regions_pending_elsewhere(application, regions)
    if twice:
        raise RuleViolation("Votre organisation a déjà une candidature en cours pour : " + ", ".join(twice) + ".")
    now = timezone.now()
    if first_time:
        application.submitted_at, application.submitted_by = now, by
        record_organisation_fee(
            organisation=application.organisation,
            certification=campaign.certification,
            kind=FeeKind.APPLICATION,
            amount_cents=campaign.application_fee_cents,
            occurred_at=now,
            source=f"application:{application.public_id}",
        )
    application.state = ApplicationState.SUBMITTED
    application.save(update_fields=["state", "submitted_at", "submitted_by"])
    answers = application.information_requests.count()
    notices.to_certifier(
        application,
        headline="Candidature déposée" if first_time else "Compléments envoyés",
        key=f"application-{application.public_id}-deposit-{answers}",
    )
    return application


# --- instructing ------------------------------------------------------------------------------------------


@transaction.atomic
def check_document(document: ApplicationDocument, *, verdict: str, note: str, by: User) -> ApplicationDocument:
    _locked(document.application, states=PENDING_STATES)
    if verdict not in (Verdict.ACCEPTED, Verdict.REFUSED):
        raise RuleViolation("Choisissez « Conforme » ou « Non conforme ».", field="verdict")
    if verdict == Verdict.REFUSED and not note.strip():
        raise RuleViolation("Dites ce qui ne va pas dans cette pièce.", field="note")
    document.verdict, document.check_note = verdict, note.strip()
    document.checked_at, document.checked_by = timezone.now(), by
    document.save(update_fields=["verdict", "check_note", "checked_at", "checked_by"])
    return document


@transaction.atomic
def request_more(application: Application, *, message: str, by: User) -> InformationRequest:
    application = _locked(application, states=(ApplicationState.SUBMITTED,))
    if not message.strip():
        raise RuleViolation("Dites ce qui manque.", field="message")
    request = InformationRequest.objects.create(application=application, message=message.strip(), created_by=by)
    application.state = ApplicationState.MORE_REQUESTED
    application.save(update_fields=["state"])
    notices.to_applicant(
        application,
        headline="Compléments demandés",
        text=request.message,
        key=f"application-{application.public_id}-request-{request.pk}",
    )
    return request


@transaction.atomic
def answer_request(application: Application, *, answer: str, by: User, today: datetime.date) -> Application:
    application = _locked(application, states=(ApplicationState.MORE_REQUESTED,))
    if not answer.strip():
        raise RuleViolation("Répondez à la demande du certificateur.", field="answer")
    application.information_requests.filter(answered_at__isnull=True).update(
        answer=answer.strip(), answered_at=timezone.now(), answered_by=by
    )
    return submit(application, by=by, today=today)


@transaction.atomic
def decide(application: Application, *, accept: bool, reason: str, by: User, today: datetime.date) -> Application:
    """Accept (a habilitation with the campaign's dates, its establishments, their fees) or reject."""
    application = _locked(application, states=(ApplicationState.SUBMITTED,))
    if not reason.strip():
        raise RuleViolation("Indiquez le motif de la décision.", field="reason")
    campaign = application.campaign
    if accept:
        latest = latest_documents(application)
        unchecked = [
            required.label
            for required in campaign.required_documents.all()
            if required.pk not in latest or latest[required.pk].verdict != Verdict.ACCEPTED
        ]
        if unchecked:
            raise RuleViolation(
                "Pour accepter, chaque pièce doit être vérifiée conforme : " + ", ".join(unchecked) + "."
            )
        if campaign.habilitation_until < today:
            raise RuleViolation(
                f"Les habilitations de cette campagne ont pris fin le {campaign.habilitation_until:%d/%m/%Y}."
            )
        habilitation = grant_habilitation(
            application.organisation,
            certification=campaign.certification,
            regions=application.regions.all(),
            valid_from=max(campaign.habilitation_from, today),
            valid_until=campaign.habilitation_until,
            by=by,
        )
        now = timezone.now()
        for establishment in application.establishments.all():
            HabilitatedEstablishment.objects.create(
                habilitation=habilitation, siret=establishment.siret, name=establishment.name
            )
            record_organisation_fee(
                organisation=application.organisation,
                certification=campaign.certification,
                kind=FeeKind.ESTABLISHMENT,
                amount_cents=campaign.establishment_fee_cents,
                occurred_at=now,
                source=f"establishment:{habilitation.public_id}:{establishment.siret}",
            )
        application.habilitation = habilitation
    application.state = ApplicationState.ACCEPTED if accept else ApplicationState.REJECTED
    application.decision_reason = reason.strip()
    application.decided_at, application.decided_by = timezone.now(), by
    application.save(update_fields=["state", "decision_reason", "decided_at", "decided_by", "habilitation"])
    text = f"Motif : {application.decision_reason}"
    if application.habilitation is not None:
        text += (
            f"\nHabilitation valable du {application.habilitation.valid_from:%d/%m/%Y}"
            f" au {campaign.habilitation_until:%d/%m/%Y}."
        )
    notices.to_applicant(
        application,
        headline="Candidature acceptée" if accept else "Candidature refusée",
        text=text,
        key=f"application-{application.public_id}-decision",
    )
    return application
