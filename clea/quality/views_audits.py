"""Risk signals and audits: the certifier reads the signals, draws a sample, concludes; the organisation
answers with pieces per dossier."""

from __future__ import annotations

import datetime
import secrets
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clea.lib.errors import RuleViolation
from clea.lib.exports import pdf_attachment
from clea.lib.pagination import CappedPaginator
from clea.organisations.models import Habilitation, Organisation
from clea.quality import audits, signals
from clea.quality.forms import AnswerForm, AuditForm, ConclusionForm, SignalsForm
from clea.quality.models import Audit, AuditDocument, AuditedDossier, AuditedOrganisation, Conclusion
from clea.quality.permissions import (
    audited_organisation_ids,
    can_answer_audited,
    can_control,
    can_see_audits,
    can_view_audited,
)
from clea.referentiel.models import Certification

PAGE_SIZE = 25


def _require_certifier(user) -> None:
    if not can_control(user):
        raise PermissionDenied("Réservé au certificateur.")


def _default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=365), today


@require_GET
def signals_view(request):
    _require_certifier(request.user)
    today = timezone.localdate()
    start, end = _default_period(today)
    first = Certification.objects.order_by("code").values_list("code", flat=True).first()
    if request.GET:
        form = SignalsForm(request.GET)
    elif first is not None:  # a first visit: the first certification over the last twelve months
        form = SignalsForm({"certification": first, "start": start, "end": end})
    else:
        form = SignalsForm()
    page = None
    if form.is_bound and form.is_valid():
        period = signals.Period(form.cleaned_data["start"], form.cleaned_data["end"])
        found = signals.risks(form.cleaned_data["certification"], period)
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query_prefix = request.GET.copy()
    query_prefix.pop("page", None)
    return render(
        request,
        "quality/signals.html",
        {
            "title": "Signaux de risque des organismes évaluateurs",
            "form": form,
            "page_obj": page,
            "definitions": signals.DEFINITIONS,
            "min_volume": signals.MIN_VOLUME,
            "query_prefix": query_prefix.urlencode() + "&" if query_prefix else "",
        },
        status=400 if form.errors else 200,
    )


@require_GET
def audit_list(request):
    if not can_see_audits(request.user):
        raise PermissionDenied("Réservé au certificateur et aux organismes audités.")
    certifier = can_control(request.user)
    rows: Any
    if certifier:
        rows = (
            Audit.objects.select_related("certification")
            .annotate(
                organisation_count=Count("organisations", distinct=True),
                concluded_count=Count("organisations", filter=~Q(organisations__conclusion=""), distinct=True),
            )
            .order_by("-created_at", "pk")
        )
    else:
        rows = (
            AuditedOrganisation.objects.filter(organisation__in=audited_organisation_ids(request.user))
            .select_related("audit__certification", "organisation")
            .annotate(dossier_count=Count("dossiers"))
            .order_by("-audit__created_at", "pk")
        )
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "quality/audit_list.html", {"title": "Audits qualité", "page_obj": page, "certifier": certifier}
    )


def audit_create(request):
    _require_certifier(request.user)
    today = timezone.localdate()
    start, end = _default_period(today)
    initial = {
        "certification": request.GET.get("certification", "CLEA"),
        "start": request.GET.get("start", start),
        "end": request.GET.get("end", end),
        "seed": secrets.randbelow(1_000_000_000),
        "answer_by": today + datetime.timedelta(days=30),
        "organisations": request.GET.get("organisation", ""),
        "title": f"Audit qualité {today:%m/%Y}",
    }
    form = AuditForm(request.POST or None, initial=initial)
    chosen = _chosen_organisations(
        request.POST.get("organisations") if request.method == "POST" else initial["organisations"]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = audits.open_audit(
                certification=data["certification"],
                title=data["title"],
                period=signals.Period(data["start"], data["end"]),
                rate_percent=data["rate_percent"],
                minimum=data["minimum"],
                maximum=data["maximum"],
                seed=data["seed"],
                answer_by=data["answer_by"],
                organisations=chosen,
                min_signals=data["min_signals"],
                by=request.user,
                today=today,
            )
        except RuleViolation as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            drawn = AuditedDossier.objects.filter(audited__audit=opened.audit).count()
            messages.success(request, f"Audit ouvert : {drawn} dossier(s) tiré(s).")
            if opened.skipped:
                messages.info(
                    request,
                    f"{len(opened.skipped)} organisme(s) écarté(s), moins de dossiers que le minimum : "
                    + ", ".join(opened.skipped[:10])
                    + ("…" if len(opened.skipped) > 10 else "."),
                )
            return redirect("quality:audit", public_id=opened.audit.public_id)
    return render(
        request,
        "quality/audit_form.html",
        {"title": "Ouvrir un audit qualité", "form": form, "chosen": chosen},
        status=400 if form.errors else 200,
    )


def _chosen_organisations(raw: str | None) -> list[Organisation]:
    ids = []
    for part in (raw or "").split(","):
        try:
            ids.append(uuid.UUID(part.strip()))
        except ValueError:
            continue
    return list(Organisation.objects.filter(public_id__in=ids).order_by("name")) if ids else []


@require_GET
def audit_detail(request, public_id):
    _require_certifier(request.user)
    audit = Audit.objects.select_related("certification").filter(public_id=public_id).first()
    if audit is None:
        raise Http404("Audit introuvable.")
    rows = (
        audit.organisations.select_related("organisation")
        .annotate(dossier_count=Count("dossiers"))
        .order_by("-risk_score", "organisation__name", "pk")
    )
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "quality/audit_detail.html", {"title": audit.title, "audit": audit, "page_obj": page})


def _audited_or_404(user, public_id) -> AuditedOrganisation:
    audited = (
        AuditedOrganisation.objects.select_related("audit__certification", "organisation")
        .filter(public_id=public_id)
        .first()
    )
    if audited is None or not can_view_audited(user, audited):
        raise Http404("Audit introuvable.")
    return audited


def _audited_page(request, audited: AuditedOrganisation, status: int = 200, **bound):
    dossiers = audited.dossiers.select_related("dossier__candidate").prefetch_related("documents").order_by("pk")
    habilitations = []
    if can_control(request.user):
        habilitations = list(
            Habilitation.objects.filter(
                organisation=audited.organisation,
                certification=audited.audit.certification,
                withdrawn_on__isnull=True,
            ).order_by("-valid_from")
        )
    return render(
        request,
        "quality/audited.html",
        {
            "title": f"Audit de {audited.organisation.name}",
            "audited": audited,
            "audit": audited.audit,
            "dossiers": dossiers,
            "can_answer": can_answer_audited(request.user, audited) and not audited.conclusion,
            "can_conclude": can_control(request.user) and not audited.conclusion,
            "non_conform": audited.conclusion == Conclusion.NON_CONFORM,
            "habilitations": habilitations,
            "answer_form": bound.get("answer_form", AnswerForm()),
            "answer_for": bound.get("answer_for"),
            "conclusion_form": bound.get("conclusion_form", ConclusionForm()),
            "send_error": bound.get("send_error"),
        },
        status=status,
    )


@require_GET
def audited_detail(request, public_id):
    return _audited_page(request, _audited_or_404(request.user, public_id))


@require_POST
def audit_answer(request, public_id):
    audited_dossier = (
        AuditedDossier.objects.select_related("audited__organisation", "audited__audit")
        .filter(public_id=public_id)
        .first()
    )
    if audited_dossier is None or not can_view_audited(request.user, audited_dossier.audited):
        raise Http404("Dossier audité introuvable.")
    audited = audited_dossier.audited
    if not can_answer_audited(request.user, audited):
        raise PermissionDenied("Réservé aux administrateurs et évaluateurs de l'organisme audité.")
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            audits.answer_dossier(
                audited_dossier, comment=form.cleaned_data["comment"], upload=form.cleaned_data["file"], by=request.user
            )
        except RuleViolation as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Réponse enregistrée pour ce dossier.")
            return redirect("quality:audited", public_id=audited.public_id)
    return _audited_page(request, audited, status=400, answer_form=form, answer_for=audited_dossier.pk)


@require_POST
def audit_send(request, public_id):
    audited = _audited_or_404(request.user, public_id)
    if not can_answer_audited(request.user, audited):
        raise PermissionDenied("Réservé aux administrateurs et évaluateurs de l'organisme audité.")
    try:
        audits.send_answer(audited, by=request.user)
    except RuleViolation as error:
        return _audited_page(request, audited, status=400, send_error=error.message)
    messages.success(request, "Réponse envoyée au certificateur.")
    return redirect("quality:audited", public_id=audited.public_id)


@require_POST
def audit_conclude(request, public_id):
    audited = _audited_or_404(request.user, public_id)
    _require_certifier(request.user)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            audits.conclude(
                audited, conclusion=form.cleaned_data["conclusion"], reason=form.cleaned_data["reason"], by=request.user
            )
        except RuleViolation as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Audit conclu.")
            return redirect("quality:audited", public_id=audited.public_id)
    return _audited_page(request, audited, status=400, conclusion_form=form)


@require_GET
def audit_document(request, public_id):
    document = (
        AuditDocument.objects.select_related("audited_dossier__audited__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if document is None or not can_view_audited(request.user, document.audited_dossier.audited):
        raise Http404("Pièce introuvable.")
    return pdf_attachment(document.file, document.filename)
