"""The certifier's journeys through the screens, bad input, and constant-query lists."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clea.certificates import cpf, documents, services
from clea.certificates.models import Certificate, CpfExport, CpfRecord, Mailing, MailingBatch
from clea.evaluations.services import dossier_assessment
from tests.certificates.builders import awarded, certified_copies, closed_session
from tests.certificates.layout import page_text, render_pages
from tests.dossiers.builders import dossier_in_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def certifier(client, path_setting):
    client.force_login(path_setting["certifier"])
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_issue_for_a_closed_session_from_the_screen(certifier, path_setting, session):
    s = path_setting
    awarded(s, session)
    awarded(s, session)
    page = certifier.get(reverse("certificates:sessions"))
    assert "Émettre les certificats" in page.content.decode()
    response = certifier.post(reverse("certificates:session_issue", args=[session.public_id]), follow=True)
    assert "2 certificats émis" in " ".join(messages_of(response))
    assert Certificate.objects.count() == 2
    assert "Terminé" in certifier.get(reverse("certificates:sessions")).content.decode()


def test_a_planned_session_cannot_be_issued(certifier, path_setting):
    planned = closed_session(path_setting, status="planned")
    assert certifier.post(reverse("certificates:session_issue", args=[planned.public_id])).status_code == 404


def test_batch_from_the_screen_then_statuses(certifier, path_setting, session, certificate):
    response = certifier.post(reverse("certificates:batch_create"), {"size": 10})
    batch = MailingBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:batch_detail", args=[batch.public_id]
    )
    pdf = certifier.get(reverse("certificates:batch_pdf", args=[batch.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert "Durand" not in pdf["Content-Disposition"]
    # Nothing left to send: the form says so.
    again = certifier.post(reverse("certificates:batch_create"), {"size": 10})
    assert again.status_code == 400 and "Aucun certificat" in again.content.decode()
    assert certifier.post(reverse("certificates:batch_create"), {"size": 0}).status_code == 400
    mailing = batch.mailings.get()
    certifier.post(reverse("certificates:batch_sent", args=[batch.public_id]))
    assert Mailing.objects.get().status == "sent"
    url = reverse("certificates:mailing_returned", args=[mailing.public_id])
    assert certifier.post(url, {"reason": ""}).status_code == 400
    assert certifier.post(url, {"reason": "NPAI"}).status_code == 302
    assert certifier.post(url, {"reason": "NPAI"}).status_code == 409  # already returned
    certifier.post(reverse("certificates:mailing_resend", args=[mailing.public_id]))
    assert Mailing.objects.get().status == "resent"
    detail = certifier.get(reverse("certificates:batch_detail", args=[batch.public_id])).content.decode()
    assert "Courrier à réimprimer" in detail


def test_duplicate_and_revoke_from_the_screens(certifier, certificate):
    response = certifier.post(reverse("certificates:duplicate", args=[certificate.public_id]))
    batch = MailingBatch.objects.get()
    assert response["Location"] == reverse("certificates:batch_detail", args=[batch.public_id])
    assert batch.mailings.get().kind == "duplicate"
    url = reverse("certificates:revoke", args=[certificate.public_id])
    assert certifier.post(url, {"reason": ""}).status_code == 400
    assert certifier.post(url, {"reason": "Fraude établie"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Fraude établie"
    assert certifier.post(url, {"reason": "Encore"}).status_code == 409
    refused = certifier.post(reverse("certificates:duplicate", args=[certificate.public_id]))
    assert refused.status_code == 409 and "retiré" in refused.content.decode()
    detail = certifier.get(reverse("certificates:detail", args=[certificate.public_id])).content.decode()
    assert "Certificat retiré le" in detail and "Fraude établie" in detail


def test_certificate_pdf_download(certifier, certificate):
    response = certifier.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5000
    assert certificate.number in response["Content-Disposition"]
    (page,) = render_pages(documents.render_certificate(certificate))
    text = page_text(page)
    assert certificate.number in text
    assert certificate.holder_name in text
    assert "27 novembre 2026" in text and "Bretagne" in text
    assert certificate.verification_url in text.replace(" ", "")
    svg = documents.qr_svg(certificate.verification_url)
    assert svg.startswith("<svg") and "path" in svg


def test_cpf_from_the_screens(certifier, path_setting, certificate):
    response = certifier.post(reverse("certificates:cpf_export"), follow=True)
    assert "Déclaration de 1 certificat prête" in " ".join(messages_of(response))
    export = CpfExport.objects.get()
    xml = certifier.get(reverse("certificates:cpf_export_download", args=[export.public_id]))
    assert xml["Content-Type"] == "application/xml" and str(certificate.cpf_technical_id) in xml.content.decode()
    content = cpf.build_ack(export.public_id, timezone.now(), [(certificate.cpf_technical_id, False, "Nom illisible")])
    upload = SimpleUploadedFile("accuse.xml", content, content_type="application/xml")
    response = certifier.post(reverse("certificates:cpf_ack_import"), {"file": upload}, follow=True)
    assert "0 accepté, 1 rejeté" in " ".join(messages_of(response))
    assert CpfRecord.objects.get().status == "rejected"
    bad = SimpleUploadedFile("accuse.xml", b"<nope/>", content_type="application/xml")
    response = certifier.post(reverse("certificates:cpf_ack_import"), {"file": bad}, follow=True)
    assert "schéma" in " ".join(messages_of(response))
    page = certifier.get(reverse("certificates:cpf")).content.decode()
    assert "1 certificat à déclarer" in page


def test_overdue_list(certifier, path_setting, certificate):
    s = path_setting
    old = closed_session(s, date=datetime.date(2026, 5, 4))
    (late,) = [
        services.issue_certificate(d, by=s["certifier"]) for d in certified_copies(s, certificate.dossier, old, 1)
    ]
    body = certifier.get(reverse("certificates:cpf_overdue")).content.decode()
    assert late.number in body and certificate.number not in body
    assert "Jamais déclaré" in body


def test_list_filters(certifier, path_setting, session, certificate):
    s = path_setting
    other = services.issue_certificate(certified_copies(s, certificate.dossier, session, 1)[0], by=s["certifier"])
    services.revoke(other, reason="Erreur", by=s["certifier"])
    services.create_mailing_batch([certificate], by=s["certifier"])
    url = reverse("certificates:list")

    def numbers(**params):
        return {c.number for c in certifier.get(url, params).context["page_obj"]}

    assert numbers() == {certificate.number, other.number}
    assert numbers(status="revoked") == {other.number}
    assert numbers(status="valid") == {certificate.number}
    assert numbers(number="000002") == {other.number}
    assert numbers(year=2025) == set()
    assert numbers(certification="CLEA") == {certificate.number, other.number}
    assert numbers(mailing="none") == {other.number}
    assert numbers(mailing="to_print") == {certificate.number}
    assert certifier.get(url, {"year": "abc"}).status_code == 200


def test_list_runs_a_constant_number_of_queries(certifier, path_setting, session, certificate):
    s = path_setting
    url = reverse("certificates:list")
    with CaptureQueriesContext(connection) as few:
        assert certifier.get(url).status_code == 200
    more = [
        services.issue_certificate(d, by=s["certifier"]) for d in certified_copies(s, certificate.dossier, session, 6)
    ]
    services.create_mailing_batch(more[:3], by=s["certifier"])
    services.export_to_cpf(by=s["certifier"])
    with CaptureQueriesContext(connection) as many:
        response = certifier.get(url)
    assert len(response.context["page_obj"]) == 7
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "view", ["certificates:sessions", "certificates:batches", "certificates:cpf", "certificates:cpf_overdue"]
)
def test_other_lists_run_a_constant_number_of_queries(certifier, path_setting, session, certificate, view):
    s = path_setting
    url = reverse(view)

    def add_rows():
        old = closed_session(s, date=datetime.date(2025, 1, 6))
        more = [
            services.issue_certificate(d, by=s["certifier"]) for d in certified_copies(s, certificate.dossier, old, 3)
        ]
        for chosen in (more[:1], more[1:]):
            services.create_mailing_batch(chosen, by=s["certifier"])
        services.export_to_cpf(by=s["certifier"])

    add_rows()
    with CaptureQueriesContext(connection) as few:
        assert certifier.get(url).status_code == 200
    add_rows()
    add_rows()
    with CaptureQueriesContext(connection) as many:
        assert certifier.get(url).status_code == 200
    assert len(many) == len(few)


def test_record_of_acquired_skills_content(path_setting):
    s = path_setting
    dossier, _ = dossier_in_training(s, gaps=("1.1.1", "2.4.1"))
    html = documents.render_skills_record(dossier, dossier_assessment(dossier), today=datetime.date(2027, 1, 4))
    text = " ".join(page_text(p) for p in render_pages(html))
    assert "27 novembre 2031" in text  # préalable + 5 years
    assert "1.1.2" in text and "1.1.1 " not in text and "2.4.1 " not in text
    assert "Domaines maîtrisés" in text
    expired = documents.render_skills_record(dossier, dossier_assessment(dossier), today=datetime.date(2032, 1, 4))
    assert "Ce délai est passé" in expired


def test_record_of_acquired_skills_refused_with_reason(client, path_setting, certificate):
    s = path_setting
    client.force_login(s["evaluator"])
    response = client.get(reverse("certificates:skills_record", args=[certificate.dossier.public_id]))
    assert response.status_code == 409 and "certifié" in response.content.decode()
    from tests.dossiers.builders import open_dossier

    fresh = open_dossier(s, birth_name="Nouvelle")
    response = client.get(reverse("certificates:skills_record", args=[fresh.public_id]))
    assert response.status_code == 409 and "Pas encore de résultats" in response.content.decode()
