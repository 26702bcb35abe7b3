"""Habilitation campaigns (docs/rules.md rules 19 and 21): applying, instructing, deciding, fees, renewal."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clea.campaigns import rules, services
from clea.campaigns.models import Application, ApplicationDocument, ApplicationState, Establishment, Verdict
from clea.funding.models import FeeEntry, FeeKind
from clea.geography.models import Region
from clea.lib.errors import Conflict, RuleViolation
from clea.lib.roles import OrganisationKind, Role
from clea.lib.siret import with_check_digit
from clea.organisations.models import HabilitatedEstablishment, Habilitation
from tests.clock import TODAY
from tests.factories import OrganisationFactory, member, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("path_setting")]

D = datetime.date


def _establishment_siret(organisation, number: int) -> str:
    """Another establishment of the organisation's company: same SIREN, its own NIC."""
    return with_check_digit(organisation.siret[:9] + f"{number:04d}")


def _accept_pieces(cast, application) -> None:
    for document in services.latest_documents(application).values():
        services.check_document(document, verdict=Verdict.ACCEPTED, note="", by=cast.certifier)


def _draft(cast, organisation=None):
    organisation = organisation or cast.outsider_organisation
    return services.start_application(cast.campaign, organisation, by=cast.outsider, today=TODAY)


# --- opening a campaign ---------------------------------------------------------------------------------


def _campaign_args(cast, **changes):
    args = {
        "certification": cast.clea,
        "title": "Campagne CléA 2027",
        "opens_on": D(2026, 12, 1),
        "closes_on": D(2027, 1, 31),
        "habilitation_from": D(2027, 3, 1),
        "habilitation_until": D(2030, 2, 28),
        "documents": ["Extrait Kbis"],
        "admits_training": False,
        "application_fee_cents": 0,
        "establishment_fee_cents": 0,
        "by": cast.certifier,
    }
    return {**args, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "Indiquez l'intitulé"),
        ({"closes_on": D(2026, 11, 30)}, "La clôture des candidatures doit suivre leur ouverture."),
        ({"habilitation_until": D(2027, 3, 1)}, "La fin des habilitations doit suivre leur début."),
        ({"documents": ["  "]}, "Indiquez au moins une pièce demandée."),
        ({"documents": ["Kbis", "kbis"]}, "Une pièce est demandée deux fois."),
        ({"admits_training": True}, "Les organismes de formation ne sont habilités que pour CléA numérique"),
        ({"application_fee_cents": -1}, "Une redevance ne peut pas être négative."),
    ],
)
def test_a_campaign_with_bad_input_is_refused_and_nothing_is_written(cast, changes, message):
    from clea.campaigns.models import Campaign

    with pytest.raises(RuleViolation, match=message):
        services.open_campaign(**_campaign_args(cast, **changes))
    assert not Campaign.objects.filter(title="Campagne CléA 2027").exists()


def test_the_certifier_opens_a_campaign_from_the_form_with_the_rule_19_fees_by_default(cast, client):
    client.force_login(cast.certifier)
    numerique = cast.campaign.certification
    response = client.post(
        reverse("campaigns:create"),
        {
            "certification": numerique.pk,
            "title": "CléA numérique 2028",
            "opens_on": "2027-09-01",
            "closes_on": "2027-10-31",
            "habilitation_from": "2028-01-01",
            "habilitation_until": "2032-12-31",
            "documents": "Extrait Kbis\nAttestation Qualiopi\n\n",
            "admits_training": "on",
            "application_fee": "",
            "establishment_fee": "120,50",
        },
    )
    assert response.status_code == 302
    from clea.campaigns.models import Campaign

    campaign = Campaign.objects.get(title="CléA numérique 2028")
    assert (campaign.application_fee_cents, campaign.establishment_fee_cents) == (30_000, 12_050)
    assert [p.label for p in campaign.required_documents.all()] == ["Extrait Kbis", "Attestation Qualiopi"]
    assert campaign.admits_training


def test_a_campaign_for_clea_refuses_training_organisations_in_french_on_the_form(cast, client):
    client.force_login(cast.certifier)
    response = client.post(
        reverse("campaigns:create"),
        {
            "certification": cast.clea.pk,
            "title": "CléA 2028",
            "opens_on": "2027-09-01",
            "closes_on": "2027-10-31",
            "habilitation_from": "2028-01-01",
            "habilitation_until": "2032-12-31",
            "documents": "Extrait Kbis",
            "admits_training": "on",
        },
    )
    assert response.status_code == 400
    assert "ne sont habilités que pour CléA numérique" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "fees", "training"),
    [("CLEA_NUMERIQUE", (30_000, 15_000), True), ("CLEA", (0, 0), False), ("CLEA_MANAGEMENT", (0, 0), False)],
)
def test_rule_19_and_21_defaults_per_certification(code, fees, training):
    assert rules.default_fees(code) == fees
    assert rules.admits_training(code) is training


# --- applying -------------------------------------------------------------------------------------------


def test_the_deposited_application_owes_its_fee_once(cast):
    application = cast.application
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_by == cast.org_admin
    fees = FeeEntry.objects.filter(organisation=cast.organisation, kind=FeeKind.APPLICATION)
    assert [(f.amount_cents, f.dossier_id) for f in fees] == [(30_000, None)]
    services.request_more(application, message="Le Kbis a plus de trois mois.", by=cast.certifier)
    services.answer_request(application, answer="Nouveau Kbis déposé.", by=cast.org_admin, today=TODAY)
    assert fees.count() == 1  # sending it back is not a second application


def test_an_organisation_applies_once_per_campaign(cast):
    cast.application  # noqa: B018
    with pytest.raises(Conflict, match="déjà une candidature pour cette campagne"):
        services.start_application(cast.campaign, cast.organisation, by=cast.org_admin, today=TODAY)


@pytest.mark.parametrize(
    ("today", "message"),
    [
        (D(2026, 10, 31), "reçoit les candidatures du 01/11/2026 au 31/12/2026"),
        (D(2027, 1, 1), "reçoit les candidatures du 01/11/2026 au 31/12/2026"),
    ],
)
def test_no_application_outside_the_campaign_period(cast, today, message):
    with pytest.raises(RuleViolation, match=message):
        services.start_application(cast.campaign, cast.outsider_organisation, by=cast.outsider, today=today)


@pytest.mark.parametrize(
    ("kind", "admits_training", "allowed"),
    [
        (OrganisationKind.EVALUATOR, False, True),
        (OrganisationKind.TRAINING, True, True),
        (OrganisationKind.TRAINING, False, False),
        (OrganisationKind.PRESCRIBER, True, False),
        (OrganisationKind.EMPLOYER, True, False),
    ],
)
def test_who_may_apply(cast, kind, admits_training, allowed):
    campaign = cast.campaign
    campaign.admits_training = admits_training
    organisation = OrganisationFactory(kind=kind, prescriber_type="cep" if kind == OrganisationKind.PRESCRIBER else "")
    assert services.may_apply(campaign, organisation) is allowed
    if not allowed:
        with pytest.raises(RuleViolation, match="Cette campagne est ouverte aux organismes évaluateurs"):
            services.start_application(campaign, organisation, by=cast.certifier, today=TODAY)


def test_a_region_already_asked_for_in_another_pending_application_is_refused(cast):
    from clea.campaigns.models import Campaign

    cast.application  # noqa: B018 (pending for Bretagne, CléA numérique)
    second = Campaign.objects.get(pk=cast.campaign.pk)
    second.pk, second.public_id, second.title = None, None, "Campagne complémentaire"
    import uuid

    second.public_id = uuid.uuid4()
    second.save()
    draft = services.start_application(second, cast.organisation, by=cast.org_admin, today=TODAY)
    bretagne, normandie = Region.objects.get(code="53"), Region.objects.get(code="28")
    with pytest.raises(RuleViolation, match=r"déjà une candidature en cours pour : Bretagne\."):
        services.set_regions(draft, [bretagne, normandie], by=cast.org_admin)
    assert not draft.regions.exists()
    services.set_regions(draft, [normandie], by=cast.org_admin)
    assert list(draft.regions.all()) == [normandie]


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("1234", "exactement 14 chiffres"),
        ("12345678901235", "clé de contrôle incorrecte"),
        ("73282932000074", "n'appartient pas à l'entreprise de votre organisation"),  # a valid SIRET, another SIREN
        ("own", "figure déjà dans la candidature"),
        ("other_organisation", "celui d'une autre organisation"),
        ("other_habilitated", "celui d'une autre organisation"),
    ],
)
def test_a_bad_establishment_is_refused_in_french_and_not_added(cast, siret, message):
    draft = _draft(cast)
    organisation = cast.outsider_organisation
    services.add_establishment(draft, siret=organisation.siret, name="Siège", by=cast.outsider)
    if siret == "own":
        siret = organisation.siret
    elif siret == "other_organisation":
        # Factory organisations share a SIREN: another organisation's own SIRET is the case to refuse.
        siret = cast.organisation.siret
    elif siret == "other_habilitated":
        siret = _establishment_siret(organisation, 77)
        HabilitatedEstablishment.objects.create(habilitation=cast.habilitation, siret=siret, name="Antenne")
    with pytest.raises(RuleViolation, match=message):
        services.add_establishment(draft, siret=siret, name="Antenne", by=cast.outsider)
    assert draft.establishments.count() == 1


def test_spaces_in_a_siret_are_accepted(cast):
    draft = _draft(cast)
    siret = _establishment_siret(cast.outsider_organisation, 12)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    establishment = services.add_establishment(draft, siret=spaced, name="Antenne de Brest", by=cast.outsider)
    assert establishment.siret == siret


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("kbis.docx", b"PK\x03\x04", "doit être un fichier PDF"),
        ("kbis.pdf", b"GIF89a", "doit être un fichier PDF"),  # the name says PDF, the content does not
        ("kbis.pdf", b"", "doit être un fichier PDF"),
    ],
)
def test_a_document_of_the_wrong_type_is_refused(cast, name, body, message):
    draft = _draft(cast)
    piece = cast.campaign.required_documents.first()
    with pytest.raises(RuleViolation, match=message):
        services.upload_document(draft, required=piece, upload=pdf_upload(name, body), by=cast.outsider)
    assert not ApplicationDocument.objects.filter(application=draft).exists()


@given(name=st.text(max_size=20), head=st.binary(max_size=8), size=st.integers(min_value=0, max_value=2**31))
def test_only_non_empty_pdfs_within_the_limit_pass(name, head, size):
    accepted = rules.document_error(name, size, head) is None
    assert accepted == (
        name.lower().endswith(".pdf") and head.startswith(b"%PDF-") and 0 < size <= rules.MAX_DOCUMENT_BYTES
    )


def test_an_incomplete_application_cannot_be_deposited_and_says_what_is_missing(cast):
    draft = _draft(cast)
    with pytest.raises(RuleViolation) as refusal:
        services.submit(draft, by=cast.outsider, today=TODAY)
    assert refusal.value.message == (
        "Candidature incomplète : choisissez au moins une région ; indiquez au moins un établissement (SIRET) ; "
        "déposez « Extrait Kbis », « Attestation Qualiopi »."
    )
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT
    assert not FeeEntry.objects.filter(organisation=cast.outsider_organisation).exists()


def test_a_deposited_application_can_no_longer_be_changed(cast):
    application = cast.application
    with pytest.raises(Conflict, match="ne peut plus être modifiée"):
        services.add_establishment(
            application, siret=_establishment_siret(cast.organisation, 5), name="Antenne", by=cast.org_admin
        )


# --- instructing and deciding ---------------------------------------------------------------------------


def test_accepting_needs_every_piece_checked_conform(cast):
    application = cast.application
    first, second = services.latest_documents(application).values()
    services.check_document(first, verdict=Verdict.ACCEPTED, note="", by=cast.certifier)
    with pytest.raises(RuleViolation, match="Dites ce qui ne va pas"):
        services.check_document(second, verdict=Verdict.REFUSED, note=" ", by=cast.certifier)
    services.check_document(second, verdict=Verdict.REFUSED, note="Attestation expirée", by=cast.certifier)
    with pytest.raises(RuleViolation, match="chaque pièce doit être vérifiée conforme : Attestation Qualiopi"):
        services.decide(application, accept=True, reason="Complet", by=cast.certifier, today=TODAY)
    assert not Habilitation.objects.filter(organisation=cast.organisation, certification=cast.campaign.certification)


def test_acceptance_creates_the_habilitation_with_its_establishments_and_their_fees(cast):
    application = cast.application
    services.request_more(application, message="Ajoutez votre antenne de Brest.", by=cast.certifier)
    services.add_establishment(
        application, siret=_establishment_siret(cast.organisation, 29), name="Antenne de Brest", by=cast.org_admin
    )
    services.answer_request(application, answer="Antenne ajoutée.", by=cast.org_admin, today=TODAY)
    _accept_pieces(cast, application)
    services.decide(application, accept=True, reason="Dossier complet", by=cast.certifier, today=TODAY)
    application.refresh_from_db()
    habilitation = application.habilitation
    assert application.state == ApplicationState.ACCEPTED
    assert (application.decided_by, application.decision_reason) == (cast.certifier, "Dossier complet")
    assert (habilitation.valid_from, habilitation.valid_until) == (D(2027, 1, 1), D(2031, 12, 31))
    assert habilitation.certification == cast.campaign.certification
    assert [r.code for r in habilitation.regions.all()] == ["53"]
    assert sorted(e.name for e in habilitation.establishments.all()) == ["Antenne de Brest", "Siège"]
    fees = FeeEntry.objects.filter(
        organisation=cast.organisation, kind__in=[FeeKind.APPLICATION, FeeKind.ESTABLISHMENT]
    )
    assert fees.aggregate(total=Sum("amount_cents"))["total"] == 30_000 + 2 * 15_000
    with pytest.raises(Conflict):
        services.decide(application, accept=False, reason="Erreur", by=cast.certifier, today=TODAY)


def test_a_rejection_needs_a_reason_and_creates_nothing(cast):
    application = cast.application
    with pytest.raises(RuleViolation, match="Indiquez le motif"):
        services.decide(application, accept=False, reason=" ", by=cast.certifier, today=TODAY)
    services.decide(application, accept=False, reason="Pièces non conformes", by=cast.certifier, today=TODAY)
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED and application.habilitation is None
    assert not FeeEntry.objects.filter(kind=FeeKind.ESTABLISHMENT).exists()


def test_a_campaign_without_fees_records_none(cast):
    campaign = cast.campaign
    campaign.application_fee_cents = campaign.establishment_fee_cents = 0
    campaign.save()
    cast.application  # noqa: B018
    _accept_pieces(cast, cast.application)
    services.decide(cast.application, accept=True, reason="Complet", by=cast.certifier, today=TODAY)
    assert not FeeEntry.objects.filter(organisation=cast.organisation).exists()


def test_a_renewal_is_prefilled_from_the_last_habilitation(cast):
    _accept_pieces(cast, cast.application)
    services.decide(cast.application, accept=True, reason="Complet", by=cast.certifier, today=TODAY)
    previous = Application.objects.get(pk=cast.application.pk).habilitation
    from clea.campaigns.models import Campaign

    later = services.open_campaign(
        certification=cast.campaign.certification,
        title="CléA numérique 2032",
        opens_on=D(2031, 9, 1),
        closes_on=D(2031, 10, 31),
        habilitation_from=D(2032, 1, 1),
        habilitation_until=D(2036, 12, 31),
        documents=["Extrait Kbis"],
        admits_training=False,
        application_fee_cents=30_000,
        establishment_fee_cents=15_000,
        by=cast.certifier,
    )
    assert Campaign.objects.count() == 2
    renewal = services.start_application(later, cast.organisation, by=cast.org_admin, today=D(2031, 9, 15))
    assert renewal.renewal_of == previous
    assert [r.code for r in renewal.regions.all()] == ["53"]
    assert [e.siret for e in renewal.establishments.all()] == [cast.organisation.siret]


def test_training_organisation_is_habilitated_for_clea_numerique(cast):
    training = cast.training_organisation
    admin = member(OrganisationKind.TRAINING, Role.ADMIN, training)
    application = services.start_application(cast.campaign, training, by=admin, today=TODAY)
    services.set_regions(application, [Region.objects.get(code="53")], by=admin)
    services.add_establishment(application, siret=training.siret, name="Centre de formation", by=admin)
    for piece in cast.campaign.required_documents.all():
        services.upload_document(application, required=piece, upload=pdf_upload(), by=admin)
    services.submit(application, by=admin, today=TODAY)
    _accept_pieces(cast, application)
    services.decide(application, accept=True, reason="Complet", by=cast.certifier, today=TODAY)
    assert Habilitation.objects.filter(organisation=training, certification__code="CLEA_NUMERIQUE").exists()


# --- screens ----------------------------------------------------------------------------------------------


def test_the_applicant_sees_a_french_error_for_a_wrong_file_and_nothing_is_stored(cast, client):
    draft = _draft(cast)
    client.force_login(cast.outsider)
    piece = cast.campaign.required_documents.first()
    response = client.post(
        reverse("campaigns:document_upload", args=[draft.public_id]),
        {"required": piece.pk, "file": pdf_upload("kbis.png", b"\x89PNG\r\n")},
    )
    assert response.status_code == 400
    assert "Le document doit être un fichier PDF." in response.content.decode()
    assert not draft.documents.exists()


def test_the_documents_are_downloaded_by_their_organisation_and_the_certifier_only(cast, client):
    document = cast.application_document
    url = reverse("campaigns:document", args=[document.public_id])
    client.force_login(cast.org_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment")
    assert str(document.application.public_id) in document.file.name and "piece" not in document.file.name
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


def test_the_certifier_instructs_from_the_application_page(cast, client):
    application = cast.application
    client.force_login(cast.certifier)
    for document in services.latest_documents(application).values():
        response = client.post(
            reverse("campaigns:document_check", args=[document.public_id]), {"verdict": "accepted", "note": ""}
        )
        assert response.status_code == 302
    response = client.post(reverse("campaigns:decide", args=[application.public_id]), {"decision": "accept"})
    assert response.status_code == 400
    assert "Motif" in response.content.decode()
    response = client.post(
        reverse("campaigns:decide", args=[application.public_id]), {"decision": "accept", "reason": "Complet"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.habilitation is not None


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_applications(cast, count: int) -> None:
    for number in range(count):
        other = OrganisationFactory(kind=OrganisationKind.EVALUATOR)
        application = services.start_application(cast.campaign, other, by=cast.certifier, today=TODAY)
        Establishment.objects.create(application=application, siret=other.siret, name=f"E{number}")
        Application.objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)


def test_the_lists_cost_the_same_whatever_the_number_of_applications(cast, client):
    cast.application  # noqa: B018
    client.force_login(cast.certifier)
    urls = [reverse("campaigns:list"), reverse("campaigns:detail", args=[cast.campaign.public_id])]
    before = [_queries(client, url) for url in urls]
    _more_applications(cast, 4)
    assert [_queries(client, url) for url in urls] == before
    page = client.get(urls[1]).content.decode()
    assert page.count("Déposée, en instruction") == 5


def test_the_application_page_costs_the_same_whatever_its_establishments_and_pieces(cast, client):
    application = cast.application
    client.force_login(cast.certifier)
    url = reverse("campaigns:application", args=[application.public_id])
    before = _queries(client, url)
    for number in range(3):
        Establishment.objects.create(
            application=application,
            siret=_establishment_siret(cast.organisation, 40 + number),
            name=f"Antenne {number}",
        )
    for piece in cast.campaign.required_documents.all():
        ApplicationDocument.objects.create(
            application=application,
            required=piece,
            file="campaigns/x.pdf",
            filename="v2.pdf",
            size=10,
            uploaded_by=cast.org_admin,
        )
    assert _queries(client, url) == before


# --- e-mails and the audit trail --------------------------------------------------------------------------


def test_the_certifier_hears_of_a_deposit_and_the_organisation_of_requests_and_the_decision(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = cast.application
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([cast.certifier.email], "[CléA] Candidature déposée : Campagne CléA numérique 2027")
    ]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_more(application, message="Le Kbis a plus de trois mois.", by=cast.certifier)
    assert [m.to for m in mailoutbox] == [[cast.org_admin.email]]
    assert "Le Kbis a plus de trois mois." in mailoutbox[0].body
    assert f"/habilitation/candidatures/{application.public_id}/" in mailoutbox[0].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_request(application, answer="Déposé.", by=cast.org_admin, today=TODAY)
        _accept_pieces(cast, application)
        services.decide(application, accept=True, reason="Dossier complet", by=cast.certifier, today=TODAY)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([cast.certifier.email], "[CléA] Compléments envoyés : Campagne CléA numérique 2027"),
        ([cast.org_admin.email], "[CléA] Candidature acceptée : Campagne CléA numérique 2027"),
    ]
    assert "Habilitation valable du 01/01/2027 au 31/12/2031." in mailoutbox[1].body


def test_decisions_and_checks_are_in_the_audit_trail(cast):
    from auditlog.models import LogEntry

    application = cast.application
    _accept_pieces(cast, application)
    services.decide(application, accept=False, reason="Hors délai", by=cast.certifier, today=TODAY)
    entries = LogEntry.objects.get_for_object(Application.objects.get(pk=application.pk))
    assert any(e.changes_dict.get("state") == ["submitted", "rejected"] for e in entries)
    checks = LogEntry.objects.filter(content_type__model="applicationdocument")
    assert any("verdict" in e.changes_dict for e in checks)
