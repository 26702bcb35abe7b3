"""Business verbs on certificates: issue, print runs and their statuses, duplicates, revocation, CPF reporting.

Every verb takes ``by``, the acting user; refusals are ``RuleViolation`` (400) or ``Conflict`` (409)
with a French message.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, OuterRef, Subquery
from django.utils import timezone

from clea.accounts.models import User
from clea.certificates import codes, cpf, documents
from clea.certificates.cpf_setup import current_sender
from clea.certificates.models import (
    MAILING_TRANSITIONS,
    Certificate,
    CertificateCounter,
    CertificateQuerySet,
    CpfExport,
    CpfRecord,
    CpfRecordStatus,
    Mailing,
    MailingBatch,
    MailingKind,
    MailingStatus,
)
from clea.certificates.numbering import format_number
from clea.certificates.postal import PostalAddress, address_lines, recipient_line
from clea.dossiers.models import EventKind
from clea.dossiers.services import record_event
from clea.dossiers.workflow import State
from clea.evaluations.models import Sitting
from clea.funding.fees import record_fee
from clea.funding.models import FeeKind
from clea.jury.models import Decision, JurySession, Outcome, SessionStatus
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.plurals import ngettext
from clea.notifications.models import Kind
from clea.notifications.sending import candidate_recipients, notify
from clea.referentiel.models import Certification

CIVILITY = {"F": "Madame", "M": "Monsieur"}
MAX_BATCH = 500


# ---------------------------------------------------------------------------------------------- issue


def _take_number(certification: Certification, year: int) -> int:
    """Next sequence for (certification, year), under a row lock held until the caller's transaction ends."""
    # The first issuance of a year creates the row; a concurrent one waits on the unique index, then reads it.
    CertificateCounter.objects.get_or_create(certification=certification, year=year)
    counter = CertificateCounter.objects.select_for_update(of=("self",)).get(certification=certification, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def _new_verification_code() -> str:
    while True:
        code = codes.new_code()
        if not Certificate.objects.filter(verification_code=code).exists():
            return code


@transaction.atomic
def issue_certificate(decision: Decision, *, by: User) -> Certificate:
    """The certificate of an award by a closed session. Issuing twice returns the same certificate."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related(
            "entry__session",
            "entry__dossier__candidate__birth_commune",
            "entry__dossier__candidate__birth_country",
            "entry__dossier__certification",
            "entry__dossier__referentiel_version__profile",
            "entry__dossier__evaluator_organisation",
        )
        .get(pk=decision.pk)
    )
    existing = Certificate.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    session, dossier = decision.entry.session, decision.entry.dossier
    if decision.outcome != Outcome.AWARDED:
        raise Conflict(
            f"Le jury n'a pas délivré la certification ({decision.get_outcome_display()}) : pas de certificat."
        )
    if session.status != SessionStatus.CLOSED:
        raise Conflict("La session de jury n'est pas close : le procès-verbal doit être signé avant d'émettre.")
    if dossier.state != State.CERTIFIED:
        raise Conflict(f"Le dossier n'est pas à l'état « certifié » (état : {dossier.state_label}).")
    other = Certificate.objects.filter(dossier=dossier).first()
    if other is not None:
        raise Conflict(f"Ce dossier a déjà son certificat (n° {other.number}).")
    candidate = dossier.candidate
    year = session.date.year
    sequence = _take_number(dossier.certification, year)
    certificate = Certificate.objects.create(
        decision=decision,
        dossier=dossier,
        certification=dossier.certification,
        year=year,
        sequence=sequence,
        number=format_number(dossier.certification.code, year, sequence),
        verification_code=_new_verification_code(),
        holder_birth_name=candidate.birth_name,
        holder_usage_name=candidate.usage_name,
        holder_first_names=candidate.first_names,
        holder_birth_date=candidate.birth_date,
        holder_sex=candidate.sex,
        holder_birth_commune_code=candidate.birth_commune_id or "",
        holder_birth_place=candidate.birth_commune.name if candidate.birth_commune is not None else "",
        holder_birth_country=candidate.birth_country.name if candidate.birth_country is not None else "",
        holder_birth_country_code=candidate.birth_country_id or "",
        awarded_on=session.date,
        jury_session=session,
        issued_at=timezone.now(),
        issued_by=by,
    )
    record_fee(
        dossier=dossier,
        kind=FeeKind.CERTIFICATE,
        occurred_at=certificate.issued_at,
        source=f"certificate:{decision.public_id}",
    )
    record_event(
        dossier, EventKind.CERTIFICATE_ISSUED, f"Certificat n° {certificate.number} délivré", by=by, organisation=None
    )
    return certificate


@transaction.atomic
def issue_for_session(session: JurySession, *, by: User) -> list[Certificate]:
    """Every certificate awarded by a closed session, all or none; already issued ones are returned as they are."""
    session = JurySession.objects.get(pk=session.pk)
    if session.status != SessionStatus.CLOSED:
        raise Conflict("La session de jury n'est pas close : le procès-verbal doit être signé avant d'émettre.")
    decisions = Decision.objects.filter(entry__session=session, outcome=Outcome.AWARDED).order_by(
        "entry__added_at", "entry__pk"
    )
    return [issue_certificate(decision, by=by) for decision in decisions]


# ------------------------------------------------------------------------------------------- mailings


def holder_address(certificate: Certificate) -> list[str]:
    """The window block for the holder's current postal address (RuleViolation if it cannot be printed)."""
    candidate = certificate.dossier.candidate
    commune = candidate.commune
    if commune is None:  # anonymised (rule 23): the person gives a new address for a duplicate
        raise RuleViolation("Adresse inconnue : ce dossier est anonymisé. Demandez son adresse à la personne.")
    town = commune.parent.name if commune.parent is not None else commune.name
    try:
        return address_lines(
            PostalAddress(
                recipient=recipient_line(
                    CIVILITY.get(certificate.holder_sex, ""),
                    certificate.holder_first_names,
                    certificate.holder_last_name,
                ),
                street=candidate.address_line1,
                complement=candidate.address_line2,
                postcode=candidate.postcode,
                town=town,
            )
        )
    except RuleViolation as exc:
        raise RuleViolation(f"Adresse de {certificate.holder_name} ({certificate.number}) : {exc.message}") from exc


def _certificates_for_print(certificates: Iterable[Certificate]) -> list[Certificate]:
    ids = [c.pk for c in certificates]
    return list(
        Certificate.objects.select_for_update(of=("self",))
        .select_related(
            "certification",
            "jury_session__region",
            "dossier__candidate__commune__parent",
        )
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _render_batch(batch: MailingBatch) -> None:
    mailings = list(
        batch.mailings.select_related("certificate__certification", "certificate__jury_session__region").order_by(
            "position"
        )
    )
    pdf = documents.mailings_pdf(mailings)
    batch.pdf, batch.pdf_sha256, batch.size = pdf, hashlib.sha256(pdf).hexdigest(), len(mailings)
    batch.save(update_fields=["pdf", "pdf_sha256", "size"])


@transaction.atomic
def create_mailing_batch(
    certificates: Iterable[Certificate], *, by: User, kind: str = MailingKind.ORIGINAL
) -> MailingBatch:
    """One print run, sorted by postcode: per holder, the cover letter (address in the envelope window)
    and the certificate. The PDF is kept on the batch (``batch.pdf``)."""
    chosen = _certificates_for_print(certificates)
    if not chosen:
        raise RuleViolation("Aucun certificat à envoyer.")
    if len(chosen) > MAX_BATCH:
        raise RuleViolation(f"Un lot compte au plus {MAX_BATCH} courriers ({len(chosen)} demandés).")
    revoked = [c.number for c in chosen if c.is_revoked]
    if revoked:
        raise Conflict(
            ngettext("Certificat retiré, à ne pas envoyer", "Certificats retirés, à ne pas envoyer", len(revoked))
            + f" : {', '.join(revoked)}."
        )
    if kind == MailingKind.ORIGINAL:
        already = list(
            Mailing.objects.filter(certificate__in=chosen, kind=MailingKind.ORIGINAL).values_list(
                "certificate__number", flat=True
            )
        )
        if already:
            raise Conflict(
                ngettext("Déjà envoyé", "Déjà envoyés", len(already))
                + f" : {', '.join(sorted(already))}. Pour un nouvel envoi, faites un duplicata."
            )
    addressed = []
    problems = []
    for certificate in chosen:
        try:
            addressed.append((certificate, holder_address(certificate)))
        except RuleViolation as exc:
            problems.append(exc.message)
    if problems:
        raise RuleViolation(" ".join(problems))
    # Sorted by postcode, then name, for the postal rates of pre-sorted mail.
    addressed.sort(key=lambda pair: (pair[0].dossier.candidate.postcode, pair[1][0], pair[0].number))
    batch = MailingBatch.objects.create(created_by=by, pdf=b"", pdf_sha256="", size=0)
    now = timezone.now()
    Mailing.objects.bulk_create(
        Mailing(
            batch=batch,
            certificate=certificate,
            kind=kind,
            position=position,
            address_lines=lines,
            postcode=certificate.dossier.candidate.postcode,
            history=[_history(now, by, MailingStatus.TO_PRINT)],
        )
        for position, (certificate, lines) in enumerate(addressed, start=1)
    )
    _render_batch(batch)
    return batch


@transaction.atomic
def duplicate(certificate: Certificate, *, by: User) -> MailingBatch:
    """A duplicate keeps the number and says « DUPLICATA »; it is printed as a one-letter batch."""
    certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
    if certificate.is_revoked:
        raise Conflict("Ce certificat a été retiré : pas de duplicata.")
    return create_mailing_batch([certificate], by=by, kind=MailingKind.DUPLICATE)


def _history(at: datetime.datetime, by: User, status: str, reason: str = "") -> dict[str, str | int | None]:
    return {"at": at.isoformat(), "by": getattr(by, "pk", None), "status": status, "reason": reason}


def _transition(mailing: Mailing, action: str, *, by: User, reason: str = "") -> Mailing:
    mailing = Mailing.objects.select_for_update(of=("self",)).select_related("certificate").get(pk=mailing.pk)
    allowed, target = MAILING_TRANSITIONS[action]
    if target in (MailingStatus.SENT, MailingStatus.RESENT) and mailing.certificate.is_revoked:
        raise Conflict(f"Le certificat {mailing.certificate.number} a été retiré : ce courrier ne part pas.")
    if mailing.status not in allowed:
        labels = {
            "mark_sent": "Seul un courrier à imprimer peut être marqué envoyé.",
            "mark_returned": "Seul un courrier envoyé (ou renvoyé) peut revenir.",
            "resend": "Seul un courrier revenu peut être renvoyé.",
        }
        raise Conflict(f"{labels[action]} (statut actuel : {mailing.get_status_display()}.)")
    now = timezone.now()
    mailing.status = target
    if target == MailingStatus.SENT:
        mailing.sent_at, mailing.sent_by = now, by
    elif target == MailingStatus.RETURNED:
        mailing.returned_at, mailing.returned_by, mailing.return_reason = now, by, reason
    elif target == MailingStatus.RESENT:
        mailing.resent_at, mailing.resent_by = now, by
    mailing.history = [*mailing.history, _history(now, by, target, reason)]
    mailing.save()
    if target in (MailingStatus.SENT, MailingStatus.RESENT):
        notify(
            Kind.CERTIFICATE_SENT,
            template="certificate_sent",
            context={"number": mailing.certificate.number},
            **candidate_recipients(mailing.certificate.dossier.candidate),
        )
    return mailing


@transaction.atomic
def mark_sent(mailing: Mailing, *, by: User) -> Mailing:
    return _transition(mailing, "mark_sent", by=by)


@transaction.atomic
def mark_batch_sent(batch: MailingBatch, *, by: User) -> int:
    """Every letter of the batch still to print is handed to the post."""
    # A certificate revoked since the batch was prepared is not posted.
    pending = batch.mailings.filter(status=MailingStatus.TO_PRINT, certificate__revoked_at__isnull=True).order_by(
        "position"
    )
    count = 0
    for mailing in pending:
        _transition(mailing, "mark_sent", by=by)
        count += 1
    return count


@transaction.atomic
def mark_returned(mailing: Mailing, *, reason: str, by: User) -> Mailing:
    if not reason.strip():
        raise RuleViolation(
            "Indiquez le motif du retour (par exemple : destinataire inconnu à l'adresse).", field="reason"
        )
    return _transition(mailing, "mark_returned", by=by, reason=reason.strip()[:255])


@transaction.atomic
def resend(mailing: Mailing, *, by: User) -> Mailing:
    """Send a returned letter again, to the holder's address as it is now (corrected in the dossier)."""
    mailing = Mailing.objects.select_for_update(of=("self",)).get(pk=mailing.pk)
    certificate = Certificate.objects.select_related("dossier__candidate__commune__parent").get(
        pk=mailing.certificate_id
    )
    if certificate.is_revoked:
        raise Conflict("Ce certificat a été retiré : il n'est pas renvoyé.")
    mailing = _transition(mailing, "resend", by=by)
    mailing.address_lines = holder_address(certificate)
    mailing.postcode = certificate.dossier.candidate.postcode
    mailing.save(update_fields=["address_lines", "postcode"])
    return mailing


def mailing_pdf(mailing: Mailing) -> bytes:
    """The letter and certificate of one mailing, to print again (a resent letter)."""
    mailing = Mailing.objects.select_related("certificate__certification", "certificate__jury_session__region").get(
        pk=mailing.pk
    )
    return documents.mailings_pdf([mailing])


# ----------------------------------------------------------------------------------------- revocation


@transaction.atomic
def revoke(certificate: Certificate, *, reason: str, by: User) -> Certificate:
    certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
    if certificate.is_revoked:
        raise Conflict(f"Ce certificat a déjà été retiré le {timezone.localtime(certificate.revoked_at):%d/%m/%Y}.")
    if not reason.strip():
        raise RuleViolation("Indiquez le motif du retrait du certificat.", field="reason")
    certificate.revoked_at, certificate.revoked_by, certificate.revocation_reason = timezone.now(), by, reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record_event(
        certificate.dossier,
        EventKind.CERTIFICATE_REVOKED,
        f"Certificat n° {certificate.number} retiré",
        by=by,
        reason=certificate.revocation_reason,
    )
    return certificate


# ---------------------------------------------------------------------------------------- CPF reporting


def cpf_queryset(queryset: CertificateQuerySet) -> CertificateQuerySet:
    """Awards with what the file reports beyond the certificate: the first and last sittings of the
    dossier's evaluations and the day the dossier was opened (its registration)."""
    sittings = Sitting.objects.filter(evaluation__dossier=OuterRef("dossier_id")).values("evaluation__dossier")
    return queryset.annotate(
        first_sitting=Subquery(sittings.annotate(day=Min("date")).values("day")[:1]),
        last_sitting=Subquery(sittings.annotate(day=Max("date")).values("day")[:1]),
        registered_at=F("dossier__created_at"),
    )


@transaction.atomic
def export_to_cpf(*, by: User | None = None, limit: int = cpf.MAX_RECORDS) -> CpfExport:
    """The XML file of the awards not reported yet (and those rejected) whose identity is complete,
    checked against the schema before it is recorded; each certificate gets a pending record until the
    acknowledgement. Awards with missing fields wait, listed on the CPF page."""
    candidates = cpf_queryset(
        Certificate.objects.cpf_to_report()
        .select_for_update(of=("self",))
        .select_related("certification")
        .order_by("certification__code", "year", "sequence")
    )
    certificates = []
    for certificate in candidates.iterator(chunk_size=1000):
        if not cpf.missing_fields(certificate):
            certificates.append(certificate)
            if len(certificates) == limit:
                break
    if not certificates:
        raise RuleViolation(
            "Aucune certification à déclarer : toutes sont acceptées, en attente d'accusé ou incomplètes."
        )
    sender = current_sender()
    problems = sender.problems({c.certification for c in certificates})
    if problems:
        raise RuleViolation("Avant de déclarer, renseignez dans les paramètres CPF " + ", ".join(problems) + ".")
    export = CpfExport(created_by=by, record_count=len(certificates))
    export.created_at = timezone.now()
    content = cpf.build_export(export.public_id, export.created_at, sender, certificates)
    errors = cpf.validate(content, root=cpf.EXPORT_ROOT)
    if errors:
        raise RuleViolation("Le fichier ne respecte pas le schéma CPF : " + " ; ".join(errors[:5]))
    export.content = content.decode("utf-8")
    export.sha256 = hashlib.sha256(content).hexdigest()
    export.save()
    try:
        with transaction.atomic():
            CpfRecord.objects.bulk_create(CpfRecord(export=export, certificate=c) for c in certificates)
    except IntegrityError as exc:
        raise Conflict("Une autre déclaration vient d'inclure ces certificats : relancez l'export.") from exc
    return export


@dataclass
class AckResult:
    export: CpfExport
    accepted: int = 0
    rejected: int = 0
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = ngettext("%(n)d accepté", "%(n)d acceptés", self.accepted) % {"n": self.accepted}
        text += ", " + ngettext("%(n)d rejeté", "%(n)d rejetés", self.rejected) % {"n": self.rejected}
        if self.unchanged:
            text += f", {self.unchanged} déjà à jour"
        if self.unknown:
            text += ", " + ngettext(
                "%(n)d inconnu de ce fichier", "%(n)d inconnus de ce fichier", len(self.unknown)
            ) % {"n": len(self.unknown)}
        if self.conflicts:
            text += f", {len(self.conflicts)} en contradiction avec un accusé précédent (non modifiés)"
        return text + "."


@transaction.atomic
def import_cpf_ack(content: bytes, *, by: User | None = None) -> AckResult:
    """Mark each record of the acknowledged file accepted or rejected (rejected ones go in the next export)."""
    errors = cpf.validate(content, root=cpf.ACK_ROOT)
    if errors:
        raise RuleViolation("L'accusé de traitement ne respecte pas le schéma : " + " ; ".join(errors[:5]))
    ack = cpf.parse_ack(content)
    export = CpfExport.objects.select_for_update(of=("self",)).filter(public_id=ack.flux_id).first()
    if export is None:
        raise RuleViolation(f"Cet accusé porte sur un fichier inconnu (idFlux {ack.flux_id}).")
    records = {
        r.certificate.cpf_technical_id: r
        for r in export.records.select_for_update(of=("self",)).select_related("certificate")
    }
    result = AckResult(export=export)
    for item in ack.items:
        record = records.get(item.technical_id)
        if record is None:
            result.unknown.append(str(item.technical_id))
            continue
        status = CpfRecordStatus.ACCEPTED if item.accepted else CpfRecordStatus.REJECTED
        if record.status == status:
            result.unchanged += 1
            continue
        if record.status != CpfRecordStatus.SENT:
            result.conflicts.append(record.certificate.number)
            continue
        record.status = status
        record.rejection_reason = "" if item.accepted else (item.reason or "Motif non précisé par l'accusé.")
        record.processed_at = ack.processed_at
        record.save(update_fields=["status", "rejection_reason", "processed_at"])
        if item.accepted:
            result.accepted += 1
        else:
            result.rejected += 1
    export.ack_content = content.decode("utf-8")
    export.ack_imported_at, export.ack_imported_by = timezone.now(), by
    export.save(update_fields=["ack_content", "ack_imported_at", "ack_imported_by"])
    return result
