"""Certifier screens (certificates, sessions to issue, print runs, CPF reporting) and the record of
acquired skills that evaluator organisations download. Thin: parse, check, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.certificates import cpf_setup, documents, services
from clea.certificates.access import (
    get_batch_for_user_or_404,
    get_certificate_for_user_or_404,
    get_closed_session_for_user_or_404,
    get_export_for_user_or_404,
    get_mailing_for_user_or_404,
)
from clea.certificates.forms import (
    AckImportForm,
    BatchForm,
    CertificateFilterForm,
    CpfSettingsForm,
    ReasonForm,
    ReturnForm,
)
from clea.certificates.models import (
    Certificate,
    CpfCertificationCode,
    CpfExport,
    CpfRecord,
    CpfRecordStatus,
    CpfSettings,
    Mailing,
    MailingBatch,
    MailingStatus,
    cpf_reporting_months,
)
from clea.certificates.permissions import can_download_skills_record, can_manage_certificates
from clea.dossiers.access import get_dossier_for_user_or_404
from clea.dossiers.workflow import State
from clea.evaluations.services import dossier_assessment
from clea.jury.models import JurySession, Outcome, SessionStatus
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.pagination import CappedPaginator
from clea.lib.plurals import ngettext
from clea.referentiel.models import Certification

PAGE_SIZE = 25


def require_certifier(request) -> None:
    if not can_manage_certificates(request.user):
        raise PermissionDenied("Réservé au certificateur.")


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # No personal data in file names.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ------------------------------------------------------------------------------------- certificates


def with_statuses(certificates):
    """Latest mailing status and CPF status as subqueries: the list costs the same for 3 or 300 rows."""
    latest_mailing = Mailing.objects.filter(certificate=OuterRef("pk")).order_by("-created_at", "-pk")
    latest_cpf = CpfRecord.objects.filter(certificate=OuterRef("pk")).order_by("-pk")
    return certificates.annotate(
        mailing_status=Subquery(latest_mailing.values("status")[:1]),
        cpf_status=Subquery(latest_cpf.values("status")[:1]),
    )


def certificate_list(request):
    require_certifier(request)
    certificates = with_statuses(
        Certificate.objects.visible_to(request.user).select_related("certification", "jury_session__region")
    )
    filters = CertificateFilterForm(request.GET or None)
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        if data["number"].strip():
            certificates = certificates.filter(number__icontains=data["number"].strip())
        if data["certification"]:
            certificates = certificates.filter(certification=data["certification"])
        if data["year"]:
            certificates = certificates.filter(year=data["year"])
        if data["status"] == "valid":
            certificates = certificates.valid()
        elif data["status"] == "revoked":
            certificates = certificates.revoked()
        if data["mailing"] == "none":
            certificates = certificates.filter(mailing_status__isnull=True)
        elif data["mailing"]:
            certificates = certificates.filter(mailing_status=data["mailing"])
    page = CappedPaginator(certificates.order_by("-issued_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/list.html",
        {
            "title": "Certificats",
            "page_obj": page,
            "filters": filters,
            "query_prefix": f"{query.urlencode()}&" if query else "",
            "labels": {
                "mailing": dict(MailingStatus.choices),
                "cpf": dict(CpfRecordStatus.choices),
            },
        },
    )


def certificate_detail(request, public_id):
    certificate = get_certificate_for_user_or_404(request.user, public_id)
    return render(
        request,
        "certificates/detail.html",
        {
            "title": f"Certificat {certificate.number}",
            "certificate": certificate,
            "mailings": certificate.mailings.select_related("batch", "sent_by", "returned_by", "resent_by"),
            "cpf_records": certificate.cpf_records.select_related("export"),
        },
    )


def certificate_pdf(request, public_id):
    certificate = get_certificate_for_user_or_404(request.user, public_id)
    return pdf_response(documents.certificate_pdf(certificate), f"certificat-{certificate.number}.pdf")


def certificate_duplicate(request, public_id):
    certificate = get_certificate_for_user_or_404(request.user, public_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            batch = services.duplicate(certificate, by=request.user)
        except RuleViolation as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, "Duplicata prêt à imprimer : il garde le numéro du certificat.")
            return redirect("certificates:batch_detail", public_id=batch.public_id)
    return render(
        request,
        "certificates/duplicate.html",
        {"title": f"Duplicata du certificat {certificate.number}", "certificate": certificate, "error": error},
        status=status,
    )


def certificate_revoke(request, public_id):
    certificate = get_certificate_for_user_or_404(request.user, public_id)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.revoke(certificate, reason=form.cleaned_data["reason"], by=request.user)
            except RuleViolation as exc:
                form.add_error("reason" if exc.field == "reason" else None, exc.message)
                status = exc.status
            else:
                messages.success(request, "Certificat retiré : la vérification publique l'indique désormais.")
                return redirect("certificates:detail", public_id=certificate.public_id)
        status = status if status != 200 else 400
    return render(
        request,
        "certificates/revoke.html",
        {"title": f"Retirer le certificat {certificate.number}", "certificate": certificate, "form": form},
        status=status,
    )


# ----------------------------------------------------------------------------------- jury sessions


def session_list(request):
    """Closed sessions and how many of their awards still wait for a certificate."""
    require_certifier(request)
    awarded = Q(entries__decision__outcome=Outcome.AWARDED)
    sessions = (
        JurySession.objects.visible_to(request.user)
        .filter(status=SessionStatus.CLOSED)
        .select_related("region")
        .annotate(
            awarded=Count("entries__decision", filter=awarded),
            issued=Count("entries__decision__certificate"),
        )
        .order_by("-date", "-pk")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/sessions.html", {"title": "Sessions closes à certifier", "page_obj": page})


@require_POST
def session_issue(request, public_id):
    session = get_closed_session_for_user_or_404(request.user, public_id)
    try:
        certificates = services.issue_for_session(session, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("certificates:sessions")
    issued = ngettext("%(n)d certificat émis", "%(n)d certificats émis", len(certificates)) % {"n": len(certificates)}
    messages.success(request, f"{issued} pour la session du {session.date:%d/%m/%Y}.")
    return redirect("certificates:sessions")


# ------------------------------------------------------------------------------------------ mailings


def batch_list(request):
    require_certifier(request)
    batches = MailingBatch.objects.select_related("created_by").defer("pdf").order_by("-created_at", "-pk")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    awaiting = Certificate.objects.awaiting_original_mailing().count()
    return render(
        request, "certificates/batches.html", {"title": "Envois postaux", "page_obj": page, "awaiting": awaiting}
    )


def batch_create(request):
    require_certifier(request)
    form = BatchForm(request.POST or None, initial={"size": 100})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = Certificate.objects.awaiting_original_mailing().order_by("issued_at", "pk")
            if form.cleaned_data["certification"]:
                chosen = chosen.filter(certification=form.cleaned_data["certification"])
            try:
                batch = services.create_mailing_batch(list(chosen[: form.cleaned_data["size"]]), by=request.user)
            except RuleViolation as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    ngettext(
                        "Lot de %(n)d courrier prêt à imprimer.", "Lot de %(n)d courriers prêt à imprimer.", batch.size
                    )
                    % {"n": batch.size},
                )
                return redirect("certificates:batch_detail", public_id=batch.public_id)
    awaiting = (
        Certificate.objects.awaiting_original_mailing()
        .values("certification__name")
        .annotate(count=Count("pk"))
        .order_by("certification__name")
    )
    return render(
        request,
        "certificates/batch_new.html",
        {"title": "Préparer un lot d'envoi", "form": form, "awaiting": awaiting},
        status=status,
    )


def batch_detail(request, public_id):
    batch = get_batch_for_user_or_404(request.user, public_id)
    mailings = batch.mailings.select_related("certificate").order_by("position")
    return render(
        request,
        "certificates/batch_detail.html",
        {
            "title": f"Lot d'envoi du {timezone.localtime(batch.created_at):%d/%m/%Y}",
            "batch": batch,
            "mailings": mailings,
        },
    )


def batch_pdf(request, public_id):
    batch = get_batch_for_user_or_404(request.user, public_id)
    return pdf_response(bytes(batch.pdf), f"lot-{timezone.localtime(batch.created_at):%Y%m%d-%H%M}.pdf")


@require_POST
def batch_sent(request, public_id):
    batch = get_batch_for_user_or_404(request.user, public_id)
    count = services.mark_batch_sent(batch, by=request.user)
    messages.success(
        request, ngettext("%(n)d courrier marqué envoyé.", "%(n)d courriers marqués envoyés.", count) % {"n": count}
    )
    return redirect("certificates:batch_detail", public_id=batch.public_id)


def _back_to_batch(mailing):
    return redirect("certificates:batch_detail", public_id=mailing.batch.public_id)


@require_POST
def mailing_sent(request, public_id):
    mailing = get_mailing_for_user_or_404(request.user, public_id)
    try:
        services.mark_sent(mailing, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Courrier marqué envoyé.")
    return _back_to_batch(mailing)


def mailing_returned(request, public_id):
    mailing = get_mailing_for_user_or_404(request.user, public_id)
    form = ReturnForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.mark_returned(mailing, reason=form.cleaned_data["reason"], by=request.user)
            except RuleViolation as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, "Retour du courrier enregistré.")
                return _back_to_batch(mailing)
        status = status if status != 200 else 400
    return render(
        request,
        "certificates/mailing_return.html",
        {"title": "Courrier revenu", "mailing": mailing, "form": form},
        status=status,
    )


@require_POST
def mailing_resend(request, public_id):
    mailing = get_mailing_for_user_or_404(request.user, public_id)
    try:
        services.resend(mailing, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Courrier renvoyé à l'adresse actuelle : imprimez-le de nouveau.")
    return _back_to_batch(mailing)


def mailing_pdf(request, public_id):
    mailing = get_mailing_for_user_or_404(request.user, public_id)
    return pdf_response(services.mailing_pdf(mailing), f"courrier-{mailing.certificate.number}.pdf")


# ------------------------------------------------------------------------------------------------ CPF


def cpf_home(request):
    require_certifier(request)
    exports = CpfExport.objects.select_related("created_by").defer("content", "ack_content")
    page = Paginator(exports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "certificates/cpf.html",
        {
            "title": "Déclarations au CPF",
            "page_obj": page,
            "to_report": Certificate.objects.cpf_to_report().count(),
            "sender_problems": cpf_setup.current_sender().problems(Certification.objects.all()),
            "overdue": Certificate.objects.cpf_overdue(today).count(),
            "months": cpf_reporting_months(),
            "ack_form": AckImportForm(),
        },
    )


@require_POST
def cpf_export(request):
    require_certifier(request)
    try:
        export = services.export_to_cpf(by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "Déclaration de %(n)d certificat prête : téléchargez-la.",
                "Déclaration de %(n)d certificats prête : téléchargez-la.",
                export.record_count,
            )
            % {"n": export.record_count},
        )
    return redirect("certificates:cpf")


def cpf_export_download(request, public_id):
    export = get_export_for_user_or_404(request.user, public_id)
    response = HttpResponse(export.content.encode("utf-8"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@require_POST
def cpf_ack_import(request):
    require_certifier(request)
    form = AckImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choisissez le fichier XML de l'accusé de traitement.")
        return redirect("certificates:cpf")
    try:
        result = services.import_cpf_ack(form.cleaned_data["file"].read(), by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Accusé importé : {result.summary}")
    return redirect("certificates:cpf")


def cpf_overdue(request):
    """Awards the CPF system has not accepted within the legal delay (docs/rules.md rule 18)."""
    require_certifier(request)
    today = timezone.localdate()
    certificates = with_statuses(
        Certificate.objects.cpf_overdue(today).select_related("certification").order_by("awarded_on", "pk")
    )
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/cpf_overdue.html",
        {
            "title": "Certifications non déclarées dans le délai",
            "page_obj": page,
            "months": cpf_reporting_months(),
            "labels": dict(CpfRecordStatus.choices),
        },
    )


def cpf_settings(request):
    """The certifier's Caisse des Dépôts identifiers and each certification's registry code."""
    require_certifier(request)
    certifications = Certification.objects.order_by("code")
    config = CpfSettings.current()
    initial = {
        "sender_client_id": config.sender_client_id,
        "certifier_client_id": config.certifier_client_id,
        "contract_id": config.contract_id,
        "depositor_nature": config.depositor_nature,
    }
    for code in CpfCertificationCode.objects.all():
        initial[f"type_{code.certification_id}"] = code.registry_type
        initial[f"code_{code.certification_id}"] = code.registry_code
    form = CpfSettingsForm(request.POST or None, initial=initial, certifications=certifications)
    if request.method == "POST" and form.is_valid():
        cpf_setup.save_settings(form.settings_values(), form.registry(), by=request.user)
        messages.success(request, "Paramètres CPF enregistrés.")
        return redirect("certificates:cpf")
    return render(
        request,
        "certificates/cpf_settings.html",
        {"title": "Paramètres CPF", "form": form, "config": config},
        status=400 if form.errors else 200,
    )


def cpf_blocked(request):
    """Awards that cannot be reported yet, with what their identity misses."""
    require_certifier(request)
    blocked, more = cpf_setup.blocked_awards()
    page = Paginator(blocked, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/cpf_blocked.html",
        {"title": "Certifications pas encore déclarables", "page_obj": page, "more": more, "limit": len(blocked)},
    )


# ------------------------------------------------------------------------------ record of acquired skills


def skills_record_pdf(request, public_id):
    """Attestation of what a candidate not (yet) certified has acquired, and until when it counts."""
    dossier = get_dossier_for_user_or_404(request.user, public_id)
    if not can_download_skills_record(request.user, dossier):
        raise PermissionDenied("Réservé à l'organisme évaluateur du dossier et au certificateur.")
    if dossier.state == State.CERTIFIED:
        return _refused(request, dossier, "Ce candidat est certifié : il reçoit son certificat.")
    if not dossier.initial_assessment_date:
        return _refused(request, dossier, "Pas encore de résultats : l'évaluation préalable n'est pas clôturée.")
    today = timezone.localdate()
    html = documents.render_skills_record(dossier, dossier_assessment(dossier), today=today)
    return pdf_response(documents.write_pdf(html), "attestation-competences.pdf")


def _refused(request, dossier, message):
    return render(
        request,
        "certificates/refused.html",
        {"title": "Attestation de compétences", "dossier": dossier, "message": message},
        status=409,
    )
