"""Habilitation campaigns: the certifier opens and instructs, organisations apply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clea.campaigns import services
from clea.campaigns.forms import (
    CampaignForm,
    CheckForm,
    DecisionForm,
    DocumentForm,
    EstablishmentForm,
    RegionsForm,
    RequestForm,
    SubmitForm,
)
from clea.campaigns.models import Application, ApplicationDocument, ApplicationState, Campaign
from clea.campaigns.permissions import (
    applying_organisations,
    can_edit_application,
    can_run_campaigns,
    can_see_campaigns,
    can_view_application,
)
from clea.lib.errors import RuleViolation
from clea.lib.exports import pdf_attachment
from clea.lib.pagination import CappedPaginator

PAGE_SIZE = 25


def _require_campaigns(user) -> None:
    if not can_see_campaigns(user):
        raise PermissionDenied("Réservé au certificateur et aux administrateurs d'organismes évaluateurs.")


def _require_certifier(user) -> None:
    if not can_run_campaigns(user):
        raise PermissionDenied("Réservé au certificateur.")


def _campaign_or_404(public_id) -> Campaign:
    campaign = Campaign.objects.select_related("certification").filter(public_id=public_id).first()
    if campaign is None:
        raise Http404("Campagne introuvable.")
    return campaign


@require_GET
def campaign_list(request):
    _require_campaigns(request.user)
    campaigns = Campaign.objects.select_related("certification").order_by("-opens_on", "pk")
    certifier = can_run_campaigns(request.user)
    organisations = applying_organisations(request.user)
    if certifier:
        campaigns = campaigns.annotate(
            application_count=Count("applications", filter=~Q(applications__state=ApplicationState.DRAFT)),
            pending_count=Count(
                "applications",
                filter=Q(applications__state__in=(ApplicationState.SUBMITTED, ApplicationState.MORE_REQUESTED)),
            ),
        )
    page = CappedPaginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for campaign in page:
        campaign.open_now = campaign.is_open(today)
    applications = (
        Application.objects.filter(organisation__in=organisations)
        .select_related("campaign__certification", "organisation")
        .order_by("-created_at", "pk")[:50]
        if organisations
        else []
    )
    return render(
        request,
        "campaigns/list.html",
        {
            "title": "Campagnes d'habilitation",
            "page_obj": page,
            "certifier": certifier,
            "applications": applications,
        },
    )


def campaign_create(request):
    _require_certifier(request.user)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.open_campaign(
                certification=data["certification"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                habilitation_from=data["habilitation_from"],
                habilitation_until=data["habilitation_until"],
                documents=data["document_list"],
                admits_training=data["admits_training"],
                application_fee_cents=data["application_fee_cents"],
                establishment_fee_cents=data["establishment_fee_cents"],
                by=request.user,
            )
        except RuleViolation as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Campagne ouverte.")
            return redirect("campaigns:detail", public_id=campaign.public_id)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"title": "Ouvrir une campagne d'habilitation", "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def campaign_detail(request, public_id):
    _require_campaigns(request.user)
    campaign = _campaign_or_404(public_id)
    certifier = can_run_campaigns(request.user)
    organisations = applying_organisations(request.user)
    if certifier:
        applications = (
            campaign.applications.exclude(state=ApplicationState.DRAFT)
            .select_related("organisation")
            .annotate(establishment_count=Count("establishments"))
            .order_by("state", "submitted_at", "pk")
        )
        page = CappedPaginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
        own: dict = {}
    else:
        page = None
        own = {a.organisation_id: a for a in campaign.applications.filter(organisation__in=organisations)}
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "title": campaign.title,
            "campaign": campaign,
            "pieces": campaign.required_documents.all(),
            "certifier": certifier,
            "page_obj": page,
            "applicants": [
                (organisation, own.get(organisation.pk), services.may_apply(campaign, organisation))
                for organisation in organisations
            ],
            "is_open": campaign.is_open(timezone.localdate()),
        },
    )


@require_POST
def apply(request, public_id):
    organisations = {str(o.public_id): o for o in applying_organisations(request.user)}
    if not organisations:
        raise PermissionDenied("Réservé aux administrateurs d'organismes évaluateurs ou de formation.")
    campaign = _campaign_or_404(public_id)
    organisation = organisations.get(request.POST.get("organisation", ""))
    if organisation is None:
        if len(organisations) != 1:
            messages.error(request, "Choisissez l'organisation qui candidate.")
            return redirect("campaigns:detail", public_id=campaign.public_id)
        organisation = next(iter(organisations.values()))
    try:
        application = services.start_application(campaign, organisation, by=request.user, today=timezone.localdate())
    except RuleViolation as error:
        messages.error(request, error.message)
        return redirect("campaigns:detail", public_id=campaign.public_id)
    messages.success(
        request,
        "Candidature commencée" + (" à partir de votre habilitation en cours." if application.renewal_of_id else "."),
    )
    return redirect("campaigns:application", public_id=application.public_id)


# --- one application ----------------------------------------------------------------------------------


def _application_or_404(user, public_id) -> Application:
    application = (
        Application.objects.select_related("campaign__certification", "organisation", "renewal_of", "habilitation")
        .filter(public_id=public_id)
        .first()
    )
    if application is None or not can_view_application(user, application):
        raise Http404("Candidature introuvable.")
    return application


def _editable_or_403(user, public_id) -> Application:
    application = _application_or_404(user, public_id)
    if not can_edit_application(user, application):
        raise PermissionDenied("Réservé aux administrateurs de l'organisation candidate.")
    return application


def _instructed_or_403(user, public_id) -> Application:
    application = _application_or_404(user, public_id)
    _require_certifier(user)
    return application


def _page(request, application: Application, status: int = 200, **bound):
    pieces = list(application.campaign.required_documents.all())
    latest = services.latest_documents(application)
    forms = {
        "regions_form": RegionsForm(initial={"regions": list(application.regions.all())}),
        "establishment_form": EstablishmentForm(),
        "document_form": DocumentForm(pieces=pieces),
        "submit_form": SubmitForm(),
        "request_form": RequestForm(),
        "decision_form": DecisionForm(),
        "check_form": CheckForm(),
    }
    forms.update(bound)
    return render(
        request,
        "campaigns/application.html",
        {
            "title": f"Candidature de {application.organisation.name}",
            "application": application,
            "campaign": application.campaign,
            "regions": application.regions.order_by("name"),
            "establishments": application.establishments.all(),
            "checklist": [(piece, latest.get(piece.pk)) for piece in pieces],
            "requests": application.information_requests.all(),
            "can_edit": application.editable and can_edit_application(request.user, application),
            "can_instruct": can_run_campaigns(request.user) and application.state == ApplicationState.SUBMITTED,
            **forms,
        },
        status=status,
    )


@require_GET
def application_detail(request, public_id):
    return _page(request, _application_or_404(request.user, public_id))


def _act(request, application: Application, form_name: str, form, action):
    """Run ``action(cleaned_data)`` when the form is valid; on bad input show the page with the form's errors."""
    if form.is_valid():
        try:
            done = action(form.cleaned_data)
        except RuleViolation as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, done)
            return redirect("campaigns:application", public_id=application.public_id)
    return _page(request, application, status=400, **{form_name: form})


@require_POST
def application_regions(request, public_id):
    application = _editable_or_403(request.user, public_id)

    def action(data):
        services.set_regions(application, list(data["regions"]), by=request.user)
        return "Régions enregistrées."

    return _act(request, application, "regions_form", RegionsForm(request.POST), action)


@require_POST
def establishment_add(request, public_id):
    application = _editable_or_403(request.user, public_id)

    def action(data):
        services.add_establishment(application, siret=data["siret"], name=data["name"], by=request.user)
        return "Établissement ajouté."

    return _act(request, application, "establishment_form", EstablishmentForm(request.POST), action)


@require_POST
def establishment_remove(request, public_id, establishment_id):
    application = _editable_or_403(request.user, public_id)
    establishment = application.establishments.filter(public_id=establishment_id).first()
    if establishment is None:
        raise Http404("Établissement introuvable.")
    try:
        services.remove_establishment(establishment, by=request.user)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Établissement retiré de la candidature.")
    return redirect("campaigns:application", public_id=application.public_id)


@require_POST
def document_upload(request, public_id):
    application = _editable_or_403(request.user, public_id)
    form = DocumentForm(request.POST, request.FILES, pieces=list(application.campaign.required_documents.all()))

    def action(data):
        services.upload_document(application, required=data["required"], upload=data["file"], by=request.user)
        return f"Pièce « {data['required'].label} » déposée."

    return _act(request, application, "document_form", form, action)


@require_POST
def application_submit(request, public_id):
    application = _editable_or_403(request.user, public_id)
    today = timezone.localdate()

    def action(data):
        if application.state == ApplicationState.MORE_REQUESTED:
            services.answer_request(application, answer=data["answer"], by=request.user, today=today)
            return "Réponse envoyée : la candidature repart en instruction."
        services.submit(application, by=request.user, today=today)
        return "Candidature déposée : le certificateur l'instruit."

    return _act(request, application, "submit_form", SubmitForm(request.POST), action)


def _document_or_404(user, public_id) -> ApplicationDocument:
    document = (
        ApplicationDocument.objects.select_related("application__organisation", "application__campaign")
        .filter(public_id=public_id)
        .first()
    )
    if document is None or not can_view_application(user, document.application):
        raise Http404("Pièce introuvable.")
    return document


@require_GET
def document_download(request, public_id):
    document = _document_or_404(request.user, public_id)
    return pdf_attachment(document.file, document.filename)


@require_POST
def document_check(request, public_id):
    document = _document_or_404(request.user, public_id)
    _require_certifier(request.user)
    application = document.application

    def action(data):
        services.check_document(document, verdict=data["verdict"], note=data["note"], by=request.user)
        return f"Pièce « {document.required.label} » vérifiée."

    return _act(request, application, "check_form", CheckForm(request.POST), action)


@require_POST
def request_more(request, public_id):
    application = _instructed_or_403(request.user, public_id)

    def action(data):
        services.request_more(application, message=data["message"], by=request.user)
        return "Compléments demandés à l'organisme."

    return _act(request, application, "request_form", RequestForm(request.POST), action)


@require_POST
def decide(request, public_id):
    application = _instructed_or_403(request.user, public_id)

    def action(data):
        accept = data["decision"] == "accept"
        services.decide(application, accept=accept, reason=data["reason"], by=request.user, today=timezone.localdate())
        return "Candidature acceptée : l'habilitation est créée." if accept else "Candidature refusée."

    return _act(request, application, "decision_form", DecisionForm(request.POST), action)
