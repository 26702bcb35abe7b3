"""API v1, certificates: from a closed jury session to the public verification through the API alone, each
refusal (status, French reason, nothing written), who may do what (certifier; others 403 on lists, 404 on
objects; anonymous 401), list queries, the public verification (no authentication, shared rate limit), schema."""

import datetime
import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clea.certificates import codes, cpf, public_views, services
from clea.certificates.models import (
    Certificate,
    CertificateCounter,
    CpfExport,
    CpfRecord,
    Mailing,
    MailingBatch,
    MailingStatus,
)
from clea.certificates.verification import lookup
from clea.dossiers.models import Dossier, DossierEvent
from clea.funding.models import FeeEntry
from clea.geography.models import Commune
from clea.jury import services as jury
from clea.organisations.models import Role
from tests.api.errors import invalid
from tests.api.test_dossiers_api import client_for
from tests.certificates import conftest as certificates_conftest
from tests.certificates.builders import awarded, closed_session
from tests.dossiers.builders import dossier_awaiting_jury
from tests.factories import MembershipFactory
from tests.jury import conftest as jury_conftest

pytestmark = pytest.mark.django_db
# The jury screens' fixture (tests/jury/conftest.py): an organiser in Bretagne, a session, one member per college.
jury_setting = jury_conftest.jury_setting
# The certificates' fixtures (tests/certificates/conftest.py): a closed session, an award, its certificate.
session, decision, certificate = (
    certificates_conftest.session,
    certificates_conftest.decision,
    certificates_conftest.certificate,
)

CERTIFICATES = "/api/v1/certificates/"
BATCHES = "/api/v1/mailing-batches/"
MAILINGS = "/api/v1/mailings/"
CPF_EXPORTS = "/api/v1/cpf-exports/"
VERIFY = "/api/v1/verification/{}/"
CERTIFIER_ONLY = {"detail": "Réservé au certificateur."}
NOT_CLOSED = "La session de jury n'est pas close : le procès-verbal doit être signé avant d'émettre."
NOTHING_TO_SEND = "Aucun courrier à imprimer dans ce lot : tous ont déjà été marqués envoyés."


def certificate_url(certificate, suffix: str = "") -> str:
    public_id = certificate["id"] if isinstance(certificate, dict) else certificate.public_id
    return f"{CERTIFICATES}{public_id}/{suffix}"


def batch_url(batch, suffix: str = "") -> str:
    public_id = batch["id"] if isinstance(batch, dict) else batch.public_id
    return f"{BATCHES}{public_id}/{suffix}"


def mailing_url(mailing, suffix: str) -> str:
    public_id = mailing["id"] if isinstance(mailing, dict) else mailing.public_id
    return f"{MAILINGS}{public_id}/{suffix}"


def issue_url(session) -> str:
    return f"/api/v1/jury-sessions/{session.public_id}/certificates/"


def counts() -> dict:
    """Everything the certificates write, to prove that a refusal wrote nothing."""
    return {
        "certificates": sorted(Certificate.objects.values_list("pk", "number", "revoked_at", "revocation_reason")),
        "counters": sorted(CertificateCounter.objects.values_list("pk", "last_sequence")),
        "batches": sorted(MailingBatch.objects.values_list("pk", "size", "pdf_sha256")),
        "mailings": sorted(
            (m.pk, m.status, m.kind, m.address_lines, m.return_reason, len(m.history)) for m in Mailing.objects.all()
        ),
        "cpf": sorted(CpfExport.objects.values_list("pk", "ack_imported_at")),
        "cpf_records": sorted(CpfRecord.objects.values_list("pk", "status")),
        "fees": FeeEntry.objects.count(),
        "events": sorted(DossierEvent.objects.values_list("dossier_id", "kind")),
        "states": sorted(Dossier.objects.values_list("pk", "state")),
    }


def issue(s, session, **candidate):
    return services.issue_certificate(awarded(s, session, **candidate), by=s["certifier"])


def ack(export, results):
    return cpf.build_ack(export.public_id, timezone.now(), results)


# --- the whole path through the API alone -----------------------------------------------------------------


def test_whole_path_through_the_api(jury_setting):
    """A real deliberation (jury services), then everything the certifier does, through the API only."""
    j = jury_setting
    laureate = dossier_awaiting_jury(j, birth_name="Martin")
    adjourned = dossier_awaiting_jury(j, birth_name="Petit")
    entries = jury.put_on_session(j["session"], [laureate, adjourned], by=j["organiser"])
    jury.record_attendance(
        j["session"],
        present_ids={m.pk for m in (j["employer_rep"], j["employee_rep"], j["neutral"])},
        by=j["organiser"],
    )
    jury.decide(entries[0], outcome="awarded", reasons="", votes_for=3, by=j["organiser"])
    jury.decide(entries[1], outcome="adjourned", reasons="Domaine 1 à revoir", votes_for=3, by=j["organiser"])
    jury.close_session(j["session"], by=j["organiser"])
    api, public = client_for(j["certifier"]), client_for(None)

    # Issue: the laureate only; asking again issues nothing more.
    issued = api.post(issue_url(j["session"]))
    assert issued.status_code == 201, issued.json()
    assert issued.json()["issued"] == 1
    [certificate] = issued.json()["certificates"]
    assert certificate["number"].startswith("CLEA-2026-")
    assert certificate["holder"] == "Léa Marie MARTIN" and certificate["dossier"] == str(laureate.public_id)
    assert (certificate["certification"], certificate["year"], certificate["awarded_on"]) == (
        "CLEA",
        2026,
        "2026-11-27",
    )
    assert certificate["jury_session"] == {
        "id": str(j["session"].public_id),
        "date": "2026-11-27",
        "region": "Bretagne",
    }
    assert (certificate["revoked"], certificate["mailing_status"], certificate["cpf_status"]) == (False, None, None)
    again = api.post(issue_url(j["session"]))
    assert again.status_code == 200
    assert again.json() == {"issued": 0, "certificates": [certificate]}
    assert Dossier.objects.get(pk=adjourned.pk).certificates.count() == 0

    listed = api.get(CERTIFICATES).json()
    assert listed["count"] == 1 and listed["results"] == [certificate]
    detail = api.get(certificate_url(certificate)).json()
    assert {k: detail[k] for k in certificate} == certificate
    assert detail["certification_name"].startswith("Certificat CléA")
    assert detail["evaluator_organisation"]["name"] == "Évaluateur A"
    assert detail["issued_by"]["id"] == str(j["certifier"].public_id) and detail["revoked_by"] is None
    code = Certificate.objects.get(number=certificate["number"]).verification_code
    assert detail["verification_code"] == codes.display(code)
    assert detail["verification_url"].endswith(f"/verifier/{code}/")
    assert (detail["mailings"], detail["cpf_records"]) == ([], [])

    pdf = api.get(certificate_url(certificate, "pdf/"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="certificat-{certificate["number"]}.pdf"'
    assert pdf.content.startswith(b"%PDF-")

    # Print run of everything still to print.
    created = api.post(BATCHES, {"all_to_print": True}, format="json")
    assert created.status_code == 201, created.json()
    batch = created.json()
    assert (batch["size"], batch["to_print_count"], batch["duplicate_count"]) == (1, 1, 0)
    [mailing] = batch["mailings"]
    assert mailing["certificate"] == {
        "id": certificate["id"],
        "number": certificate["number"],
        "holder": "Léa Marie MARTIN",
    }
    assert (mailing["kind"], mailing["status"], mailing["position"]) == ("original", "to_print", 1)
    assert mailing["address_lines"][-1] == "35000 RENNES" and mailing["batch"] == batch["id"]
    assert api.get(BATCHES).json()["results"] == [{k: v for k, v in batch.items() if k != "mailings"}]
    printed = api.get(batch_url(batch, "pdf/"))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert hashlib.sha256(printed.content).hexdigest() == batch["pdf_sha256"]
    assert api.get(batch_url(batch)).json() == batch

    sent = api.post(batch_url(batch, "sent/"))
    assert sent.status_code == 200, sent.json()
    assert (sent.json()["to_print_count"], sent.json()["sent_count"]) == (0, 1)
    assert sent.json()["mailings"][0]["sent_by"]["id"] == str(j["certifier"].public_id)
    assert api.get(CERTIFICATES).json()["results"][0]["mailing_status"] == "sent"

    returned = api.post(
        mailing_url(mailing, "returned/"), {"reason": "Destinataire inconnu à l'adresse"}, format="json"
    )
    assert returned.status_code == 200, returned.json()
    assert (returned.json()["status"], returned.json()["status_label"]) == ("returned", "Revenu à l'expéditeur")
    assert returned.json()["return_reason"] == "Destinataire inconnu à l'adresse"

    # The address is corrected in the dossier; the letter goes again to the new one.
    candidate = laureate.candidate
    candidate.address_line1 = "8 place de la Mairie"
    candidate.save()
    resent = api.post(mailing_url(mailing, "resend/"))
    assert resent.status_code == 200, resent.json()
    assert resent.json()["status"] == "resent" and "8 PLACE DE LA MAIRIE" in resent.json()["address_lines"]
    assert [h["status"] for h in resent.json()["history"]] == ["to_print", "sent", "returned", "resent"]
    assert resent.json()["history"][2]["reason"] == "Destinataire inconnu à l'adresse"
    letter = api.get(mailing_url(mailing, "pdf/"))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF-")
    assert letter["Content-Disposition"] == f'attachment; filename="courrier-{certificate["number"]}.pdf"'

    duplicate = api.post(certificate_url(certificate, "duplicate/"))
    assert duplicate.status_code == 201, duplicate.json()
    assert (duplicate.json()["size"], duplicate.json()["duplicate_count"]) == (1, 1)
    [copy] = duplicate.json()["mailings"]
    assert (copy["kind"], copy["kind_label"], copy["certificate"]["number"]) == (
        "duplicate",
        "Duplicata",
        certificate["number"],
    )

    verified = public.get(VERIFY.format(codes.display(code).lower()))
    assert verified.status_code == 200
    assert verified.json() == {
        "status": "valid",
        "certification": detail["certification_name"],
        "awarded_on": "2026-11-27",
        "holder": "Léa M.",
        "number": certificate["number"],
    }

    revoked = api.post(
        certificate_url(certificate, "revoke/"), {"reason": "Fraude établie à l'évaluation"}, format="json"
    )
    assert revoked.status_code == 200, revoked.json()
    revoked = revoked.json()
    assert (revoked["revoked"], revoked["revocation_reason"]) == (True, "Fraude établie à l'évaluation")
    assert revoked["revoked_by"]["id"] == str(j["certifier"].public_id) and revoked["revoked_at"]
    assert [(m["kind"], m["status"]) for m in revoked["mailings"]] == [
        ("original", "resent"),
        ("duplicate", "to_print"),
    ]
    after = public.get(VERIFY.format(code))
    assert after.json() == {**verified.json(), "status": "revoked"}
    assert "Fraude" not in after.content.decode()

    assert api.get(CERTIFICATES + "?revoked=true").json()["count"] == 1
    assert api.get(CERTIFICATES + "?revoked=false").json()["count"] == 0
    assert list(laureate.events.order_by("pk").values_list("kind", flat=True))[-2:] == [
        "certificate_issued",
        "certificate_revoked",
    ]
    assert FeeEntry.objects.filter(dossier=laureate, kind="certificate").count() == 1


def test_cpf_reporting_through_the_api(path_setting, session):
    s = path_setting
    first, second = issue(s, session), issue(s, session)
    api = client_for(s["certifier"])
    created = api.post(CPF_EXPORTS)
    assert created.status_code == 201, created.json()
    export = created.json()
    assert export["record_count"] == 2 and export["created_by"]["id"] == str(s["certifier"].public_id)
    assert export["ack_imported_at"] is None and export["filename"].endswith(".xml")
    xml = api.get(f"{CPF_EXPORTS}{export['id']}/xml/")
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    assert xml["Content-Disposition"] == f'attachment; filename="{export["filename"]}"'
    assert hashlib.sha256(xml.content).hexdigest() == export["sha256"]
    assert cpf.validate(xml.content, root=cpf.EXPORT_ROOT) == []
    assert api.get(CERTIFICATES).json()["results"][0]["cpf_status"] == "sent"

    content = ack(
        CpfExport.objects.get(),
        [(first.cpf_technical_id, True, ""), (second.cpf_technical_id, False, "Date de naissance incohérente")],
    )
    imported = api.generic("POST", f"{CPF_EXPORTS}ack/", content, content_type="application/xml")
    assert imported.status_code == 200, imported.json()
    result = imported.json()
    assert (result["accepted"], result["rejected"], result["unchanged"]) == (1, 1, 0)
    assert result["summary"] == "1 accepté, 1 rejeté."
    assert result["export"]["id"] == export["id"] and result["export"]["ack_imported_at"]
    again = api.generic("POST", f"{CPF_EXPORTS}ack/", content, content_type="text/xml")
    assert again.json()["unchanged"] == 2
    records = {r["status"]: r for r in api.get(certificate_url(second)).json()["cpf_records"]}
    assert records["rejected"]["rejection_reason"] == "Date de naissance incohérente"
    # The rejected one goes again, the accepted one never.
    assert api.post(CPF_EXPORTS).json()["record_count"] == 1


# --- refusals: status, French reason, nothing written ------------------------------------------------------


def test_issuing_needs_a_closed_session_and_certified_dossiers(path_setting):
    s = path_setting
    api = client_for(s["certifier"])
    planned = closed_session(s, status="planned")
    before = counts()
    response = api.post(issue_url(planned))
    assert response.status_code == 409
    assert response.json() == {"detail": NOT_CLOSED, "field": None}
    assert counts() == before
    # All or nothing: the second laureate's dossier is not certified, the first one gets no number either.
    session = closed_session(s)
    awarded(s, session, birth_name="Premier")
    second = awarded(s, session, birth_name="Second")
    Dossier.objects.filter(pk=second.entry.dossier_id).update(state="at_jury")
    before = counts()
    response = api.post(issue_url(session))
    assert response.status_code == 409
    assert response.json() == {"detail": "Le dossier n'est pas à l'état « certifié » (état : En jury).", "field": None}
    assert counts() == before


def test_batch_refusals(path_setting, session):
    s = path_setting
    api = client_for(s["certifier"])
    sent, revoked = issue(s, session, birth_name="Envoye"), issue(s, session, birth_name="Retire")
    services.create_mailing_batch([sent], by=s["certifier"])
    services.revoke(revoked, reason="Erreur de jury", by=s["certifier"])
    unknown = "0f0e0d0c-0b0a-4908-8706-050403020100"
    before = counts()
    for body, expected, code in [
        (
            {"certificates": [str(sent.public_id)]},
            {"detail": f"Déjà envoyé : {sent.number}. Pour un nouvel envoi, faites un duplicata.", "field": None},
            409,
        ),
        (
            {"certificates": [str(revoked.public_id)]},
            {"detail": f"Certificat retiré, à ne pas envoyer : {revoked.number}.", "field": None},
            409,
        ),
        ({"all_to_print": True}, {"detail": "Aucun certificat à envoyer.", "field": None}, 400),
        (
            {"certificates": [str(sent.public_id), unknown]},
            invalid({"certificates": [f"Aucun certificat ne correspond à l'identifiant {unknown}."]}),
            400,
        ),
        ({}, invalid({"certificates": ["Choisissez au moins un certificat, ou demandez « all_to_print »."]}), 400),
        (
            {"certificates": []},
            invalid({"certificates": ["Choisissez au moins un certificat, ou demandez « all_to_print »."]}),
            400,
        ),
        (
            {"certificates": [str(sent.public_id)], "all_to_print": True},
            invalid({"certificates": ["Donnez soit la liste des certificats, soit « all_to_print », pas les deux."]}),
            400,
        ),
        (
            {"certificates": [str(sent.public_id)], "size": 3},
            invalid({"size": ["Ne s'utilise qu'avec « all_to_print »."]}),
            400,
        ),
        (
            {"all_to_print": True, "size": 501},
            invalid({"size": ["Assurez-vous que cette valeur est inférieure ou égale à 500."]}),
            400,
        ),
        (
            {"all_to_print": True, "certification": "CLEA_MANAGEMENT"},
            invalid({"certification": ["Certification inconnue : CLEA_MANAGEMENT."]}),
            400,
        ),
    ]:
        response = api.post(BATCHES, body, format="json")
        assert (response.status_code, response.json()) == (code, expected), body
    assert counts() == before


def test_a_batch_with_an_address_that_cannot_be_printed_is_refused_whole(path_setting, session):
    s = path_setting
    api = client_for(s["certifier"])
    good = issue(s, session, birth_name="Bon")
    bad = issue(s, session, birth_name="Long", address_line1="3 rue " + "X" * 60)
    before = counts()
    response = api.post(BATCHES, {"certificates": [str(good.public_id), str(bad.public_id)]}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"Adresse de Léa Marie LONG ({bad.number}) : ")
    assert counts() == before
    # Only the printable one, when asked for all to print of another certification: nothing of CLEA is taken.
    other = api.post(BATCHES, {"all_to_print": True, "certification": "CLEA_NUMERIQUE"}, format="json")
    assert other.json() == {"detail": "Aucun certificat à envoyer.", "field": None}
    assert counts() == before


def test_certificate_refusals(path_setting, certificate):
    s = path_setting
    api = client_for(s["certifier"])
    before = counts()
    for body in [{"reason": "   "}, {}]:
        response = api.post(certificate_url(certificate, "revoke/"), body, format="json")
        assert response.status_code == 400
        assert response.json() == {"detail": "Indiquez le motif du retrait du certificat.", "field": "reason"}
    too_long = api.post(certificate_url(certificate, "revoke/"), {"reason": "x" * 2001}, format="json")
    assert too_long.status_code == 400 and list(too_long.json()["errors"]) == ["reason"]
    assert counts() == before
    services.revoke(certificate, reason="Erreur de jury", by=s["certifier"])
    before = counts()
    again = api.post(certificate_url(certificate, "revoke/"), {"reason": "Encore"}, format="json")
    assert again.status_code == 409
    day = timezone.localdate()
    assert again.json() == {"detail": f"Ce certificat a déjà été retiré le {day:%d/%m/%Y}.", "field": None}
    duplicate = api.post(certificate_url(certificate, "duplicate/"))
    assert duplicate.status_code == 409
    assert duplicate.json() == {"detail": "Ce certificat a été retiré : pas de duplicata.", "field": None}
    assert counts() == before


def test_mailing_refusals(path_setting, certificate):
    s = path_setting
    api = client_for(s["certifier"])
    batch = services.create_mailing_batch([certificate], by=s["certifier"])
    mailing = batch.mailings.get()
    before = counts()
    early = api.post(mailing_url(mailing, "returned/"), {"reason": "NPAI"}, format="json")
    assert early.status_code == 409
    assert early.json() == {
        "detail": "Seul un courrier envoyé (ou renvoyé) peut revenir. (statut actuel : À imprimer.)",
        "field": None,
    }
    not_returned = api.post(mailing_url(mailing, "resend/"))
    assert not_returned.status_code == 409
    assert not_returned.json() == {
        "detail": "Seul un courrier revenu peut être renvoyé. (statut actuel : À imprimer.)",
        "field": None,
    }
    assert counts() == before
    services.mark_batch_sent(batch, by=s["certifier"])
    before = counts()
    nothing = api.post(batch_url(batch, "sent/"))
    assert nothing.status_code == 409
    assert nothing.json() == {"detail": NOTHING_TO_SEND, "field": None}
    for body in [{"reason": " "}, {}]:
        blank = api.post(mailing_url(mailing, "returned/"), body, format="json")
        assert blank.status_code == 400
        assert blank.json() == {
            "detail": "Indiquez le motif du retour (par exemple : destinataire inconnu à l'adresse).",
            "field": "reason",
        }
    too_long = api.post(mailing_url(mailing, "returned/"), {"reason": "x" * 256}, format="json")
    assert too_long.status_code == 400
    assert too_long.json() == invalid({"reason": ["Assurez-vous que ce champ comporte au plus 255\xa0caractères."]})
    assert counts() == before
    services.mark_returned(mailing, reason="NPAI", by=s["certifier"])
    services.revoke(certificate, reason="Erreur de jury", by=s["certifier"])
    before = counts()
    revoked = api.post(mailing_url(mailing, "resend/"))
    assert revoked.status_code == 409
    assert revoked.json() == {"detail": "Ce certificat a été retiré : il n'est pas renvoyé.", "field": None}
    assert counts() == before


def test_resend_to_an_address_that_cannot_be_printed(path_setting, certificate):
    s = path_setting
    mailing = services.create_mailing_batch([certificate], by=s["certifier"]).mailings.get()
    services.mark_sent(mailing, by=s["certifier"])
    services.mark_returned(mailing, reason="NPAI", by=s["certifier"])
    candidate = certificate.dossier.candidate
    candidate.address_line1 = "3 rue " + "X" * 60
    candidate.save()
    before = counts()
    response = client_for(s["certifier"]).post(mailing_url(mailing, "resend/"))
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"Adresse de {certificate.holder_name} ({certificate.number}) : ")
    assert counts() == before
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.RETURNED


def test_cpf_refusals(path_setting, certificate):
    s = path_setting
    api = client_for(s["certifier"])
    services.export_to_cpf(by=s["certifier"])
    before = counts()
    nothing = api.post(CPF_EXPORTS)
    assert nothing.status_code == 400
    assert nothing.json() == {
        "detail": "Aucune certification à déclarer : toutes sont acceptées, en attente d'accusé ou incomplètes.",
        "field": None,
    }
    malformed = api.generic("POST", f"{CPF_EXPORTS}ack/", b"<pas du xml", content_type="application/xml")
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("L'accusé de traitement ne respecte pas le schéma : XML mal formé")
    empty = api.generic("POST", f"{CPF_EXPORTS}ack/", b"", content_type="application/xml")
    assert empty.status_code == 400 and empty.json()["detail"].startswith("L'accusé de traitement ne respecte pas")
    as_json = api.post(f"{CPF_EXPORTS}ack/", {"content": "<x/>"}, format="json")
    assert as_json.status_code == 415
    other = CpfExport(public_id="0f0e0d0c-0b0a-4908-8706-050403020100")
    unknown = api.generic(
        "POST", f"{CPF_EXPORTS}ack/", ack(other, [(certificate.cpf_technical_id, True, "")]), content_type="text/xml"
    )
    assert unknown.status_code == 400
    assert unknown.json() == {
        "detail": "Cet accusé porte sur un fichier inconnu (idFlux 0f0e0d0c-0b0a-4908-8706-050403020100).",
        "field": None,
    }
    assert counts() == before


def test_a_certificate_revoked_after_its_batch_was_prepared_is_not_marked_sent(path_setting, session):
    s = path_setting
    kept, withdrawn = issue(s, session, birth_name="Garde"), issue(s, session, birth_name="Retire")
    batch = services.create_mailing_batch([kept, withdrawn], by=s["certifier"])
    services.revoke(withdrawn, reason="Erreur de jury", by=s["certifier"])
    client_for(s["certifier"]).post(batch_url(batch, "sent/"))
    assert Mailing.objects.get(certificate=withdrawn).status == MailingStatus.TO_PRINT


# --- who may do what ----------------------------------------------------------------------------------------


@pytest.fixture
def world(path_setting):
    """A print run of two letters (one sent then returned, one still to print) and a CPF file; another closed
    session with a laureate to issue; a certificate never sent; the jury organiser of both sessions."""
    s = path_setting
    issued_session = closed_session(s)
    certificate = services.issue_certificate(awarded(s, issued_session, birth_name="Emis"), by=s["certifier"])
    second = services.issue_certificate(awarded(s, issued_session, birth_name="Second"), by=s["certifier"])
    batch = services.create_mailing_batch([certificate, second], by=s["certifier"])
    mailing = batch.mailings.get(certificate=certificate)
    services.mark_sent(mailing, by=s["certifier"])
    services.mark_returned(mailing, reason="NPAI", by=s["certifier"])
    export = services.export_to_cpf(by=s["certifier"])
    pending = closed_session(s)
    awarded(s, pending, birth_name="Attente")
    organiser = MembershipFactory(organisation=pending.organiser, role=Role.JURY_ORGANISER).user
    MembershipFactory(organisation=issued_session.organiser, role=Role.JURY_ORGANISER, user=organiser)
    waiting = services.issue_certificate(awarded(s, closed_session(s), birth_name="Courrier"), by=s["certifier"])
    return {
        **s,
        "certificate": certificate,
        "waiting": waiting,
        "batch": batch,
        "mailing": mailing,
        "export": export,
        "session": pending,
        "jury_organiser": organiser,
    }


def lists(w):
    """(method, url, body, content type): the certifier's lists and their actions; others get a 403."""
    content = ack(w["export"], [(w["certificate"].cpf_technical_id, True, "")])
    return [
        ("get", CERTIFICATES, None, None),
        ("get", BATCHES, None, None),
        ("post", BATCHES, {"certificates": [str(w["waiting"].public_id)]}, "json"),
        ("post", CPF_EXPORTS, None, None),
        ("post", f"{CPF_EXPORTS}ack/", content, "application/xml"),
    ]


def objects(w):
    """(method, url, body, expected 404 detail): certificates, print runs, letters, CPF files. In an order the
    certifier can follow (the revocation last)."""
    c, b, m = w["certificate"], w["batch"], w["mailing"]
    return [
        ("get", certificate_url(c), None, "Certificat introuvable."),
        ("get", certificate_url(c, "pdf/"), None, "Certificat introuvable."),
        ("post", certificate_url(c, "duplicate/"), None, "Certificat introuvable."),
        ("get", batch_url(b), None, "Lot introuvable."),
        ("get", batch_url(b, "pdf/"), None, "Lot introuvable."),
        ("post", batch_url(b, "sent/"), None, "Lot introuvable."),
        ("post", mailing_url(m, "resend/"), None, "Courrier introuvable."),
        ("post", mailing_url(m, "returned/"), {"reason": "NPAI"}, "Courrier introuvable."),
        ("get", mailing_url(m, "pdf/"), None, "Courrier introuvable."),
        ("get", f"{CPF_EXPORTS}{w['export'].public_id}/xml/", None, "Déclaration introuvable."),
        ("post", certificate_url(c, "revoke/"), {"reason": "Fraude"}, "Certificat introuvable."),
    ]


def send(client, method, path, body, content_type=None):
    if content_type and content_type != "json":
        return client.generic(method.upper(), path, body, content_type=content_type)
    return getattr(client, method)(path, body, format="json")


OTHERS = ["evaluator", "org_admin", "outsider", "trainer", "prescriber", "jury_member", "jury_organiser"]


def test_lists_are_the_certifiers_others_get_403(world):
    w = world
    before = counts()
    for method, path, body, content_type in lists(w):
        for who in OTHERS:
            response = send(client_for(w[who]), method, path, body, content_type)
            assert (response.status_code, response.json()) == (403, CERTIFIER_ONLY), (who, method, path)
        anonymous = send(client_for(None), method, path, body, content_type)
        assert anonymous.status_code == 401, path
        assert anonymous.json() == {"detail": "Informations d'authentification non fournies."}
    assert counts() == before


def test_objects_are_the_certifiers_others_get_404(world):
    w = world
    before = counts()
    for method, path, body, detail in objects(w):
        for who in OTHERS:
            response = send(client_for(w[who]), method, path, body)
            assert response.status_code == 404, (who, method, path, response.status_code)
            assert response["Content-Type"] == "application/json"
            assert response.json() == {"detail": detail}, (who, path)
        # A download asked for by its type: the refusal is still JSON.
        if path.endswith("pdf/"):
            asked = client_for(w["outsider"]).get(path, HTTP_ACCEPT="application/pdf")
            assert (asked.status_code, asked.json()) == (404, {"detail": detail})
        anonymous = send(client_for(None), method, path, body)
        assert anonymous.status_code == 401, path
        assert anonymous.json() == {"detail": "Informations d'authentification non fournies."}
    assert counts() == before


def test_issuing_a_session_is_the_certifiers(world):
    w = world
    before = counts()
    # The jury organiser sees the session (jury API): told why; the others do not see it.
    organiser = client_for(w["jury_organiser"]).post(issue_url(w["session"]))
    assert (organiser.status_code, organiser.json()) == (403, CERTIFIER_ONLY)
    for who in ["evaluator", "org_admin", "outsider", "trainer", "prescriber", "jury_member"]:
        response = client_for(w[who]).post(issue_url(w["session"]))
        assert (response.status_code, response.json()) == (404, {"detail": "Session de jury introuvable."}), who
    assert client_for(None).post(issue_url(w["session"])).status_code == 401
    assert counts() == before
    issued = client_for(w["certifier"]).post(issue_url(w["session"]))
    assert issued.status_code == 201 and issued.json()["issued"] == 1


def test_the_certifier_may_do_everything(world):
    w = world
    api = client_for(w["certifier"])
    for method, path, body, content_type in lists(w):
        response = send(api, method, path, body, content_type)
        assert response.status_code in (200, 201), (path, response.json())
    for method, path, body, _ in objects(w):
        response = send(api, method, path, body)
        assert response.status_code in (200, 201), (path, response.content[:200])


def test_verification_is_for_everyone(world):
    w = world
    code = w["certificate"].verification_code
    for who in [*OTHERS, "certifier"]:
        assert client_for(w[who]).get(VERIFY.format(code)).json()["status"] == "valid", who
    assert client_for(None).get(VERIFY.format(code)).json()["status"] == "valid"


# --- the list: filters and a constant number of queries ------------------------------------------------------


def test_list_filters_and_constant_queries(path_setting, session):
    s = path_setting
    api = client_for(s["certifier"])

    def list_queries(query=""):
        with CaptureQueriesContext(connection) as context:
            response = api.get(CERTIFICATES + query)
        assert response.status_code == 200, response.json()
        return len(context.captured_queries), response.json()

    first = issue(s, session, birth_name="Premier")
    one, data = list_queries()
    assert data["count"] == 1
    later = closed_session(s, date=datetime.date(2027, 1, 14))
    others = [issue(s, later, birth_name=f"Suivant{n}") for n in range(4)]
    services.create_mailing_batch(others[:2], by=s["certifier"])
    services.export_to_cpf(by=s["certifier"])
    services.revoke(others[3], reason="Erreur de jury", by=s["certifier"])
    five, data = list_queries()
    assert data["count"] == 5
    assert one == five <= 6
    assert [c["number"] for c in data["results"]] == [c.number for c in [*reversed(others), first]]
    assert {c["cpf_status"] for c in data["results"]} == {"sent"}
    assert list_queries("?year=2027")[1]["count"] == 4
    assert list_queries("?year=2026")[1]["results"][0]["id"] == str(first.public_id)
    assert list_queries("?certification=CLEA")[1]["count"] == 5
    assert list_queries("?certification=CLEA_NUMERIQUE")[1]["count"] == 0
    assert [c["number"] for c in list_queries("?revoked=true")[1]["results"]] == [others[3].number]
    assert list_queries("?revoked=false")[1]["count"] == 4
    assert [c["number"] for c in list_queries(f"?number={first.number.lower()}")[1]["results"]] == [first.number]
    assert list_queries("?mailing=to_print")[1]["count"] == 2
    assert list_queries("?mailing=none")[1]["count"] == 3
    assert list_queries(f"?session={later.public_id}")[1]["count"] == 4
    assert list_queries("?year=2027&revoked=false&mailing=none")[1]["count"] == 1
    bad = api.get(CERTIFICATES + "?year=deux-mille&mailing=perdu")
    assert bad.status_code == 400
    assert bad.json() == invalid(
        {
            "year": ["Saisissez un nombre."],
            "mailing": ["Sélectionnez un choix valide. perdu n’en fait pas partie."],
        }
    )


def test_batch_list_queries_are_constant(path_setting, session):
    s = path_setting
    api = client_for(s["certifier"])
    first = issue(s, session)
    services.create_mailing_batch([first], by=s["certifier"])

    def list_queries():
        with CaptureQueriesContext(connection) as context:
            response = api.get(BATCHES)
        assert response.status_code == 200
        return len(context.captured_queries), response.json()

    one, data = list_queries()
    brest = Commune.objects.get(code="29019")
    more = [issue(s, session, postcode="29200", commune=brest) for _ in range(2)]
    services.create_mailing_batch(more, by=s["certifier"])
    services.duplicate(first, by=s["certifier"])
    three, data = list_queries()
    assert one == three <= 6
    assert [(b["size"], b["to_print_count"], b["duplicate_count"]) for b in data["results"]] == [
        (1, 1, 1),
        (2, 2, 0),
        (1, 1, 0),
    ]


def test_detail_queries_are_bounded(world, django_assert_max_num_queries):
    api = client_for(world["certifier"])
    with django_assert_max_num_queries(8):
        assert api.get(certificate_url(world["certificate"])).status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get(batch_url(world["batch"])).status_code == 200


# --- public verification ---------------------------------------------------------------------------------------


def test_verification_answers_like_the_plain_view(path_setting, certificate):
    public = client_for(None)
    for code in [certificate.verification_code, codes.new_code(), "pas-un-code", "x" * 80]:
        response = public.get(VERIFY.format(code))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
        assert response.json() == json.loads(json.dumps(lookup(code).as_json(), default=str)), code
    assert public.get(VERIFY.format(codes.new_code())).json() == {
        "status": "unknown",
        "certification": None,
        "awarded_on": None,
        "holder": None,
        "number": None,
    }


def test_verification_needs_no_authentication_at_all(client, path_setting, certificate):
    """No authentication class: a wrong token or a session cookie changes nothing, and there is no CSRF."""
    path = VERIFY.format(certificate.verification_code)
    wrong = client_for(None)
    wrong.credentials(HTTP_AUTHORIZATION="Token pas-un-jeton")
    assert wrong.get(path).json()["status"] == "valid"
    client.force_login(path_setting["certifier"])
    assert client.get(path).json()["status"] == "valid"
    refused = client.post(path)
    assert refused.status_code == 405
    assert refused.json() == {"detail": "Méthode «\xa0POST\xa0» non autorisée."}


def test_verification_takes_one_query_whatever_the_code(path_setting, certificate):
    public = client_for(None)
    sizes = []
    for code in [certificate.verification_code, codes.new_code(), "pas-un-code"]:
        with CaptureQueriesContext(connection) as context:
            public.get(VERIFY.format(code))
        sizes.append(len(context.captured_queries))
    assert sizes == [1, 1, 1]


def test_verification_shares_the_rate_limit_of_the_page(client, path_setting, certificate, settings):
    settings.CERTIFICATE_VERIFICATION_LIMIT = 3
    public = client_for(None)
    for _ in range(2):
        assert client.get(f"/verifier/{codes.new_code()}/").status_code == 200
    assert public.get(VERIFY.format(certificate.verification_code)).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = public.get(VERIFY.format(certificate.verification_code))
    assert response.status_code == 429
    assert response.json() == {"detail": public_views.TOO_MANY}
    assert response.json()["detail"].startswith("Trop de vérifications depuis votre connexion")
    assert response["Retry-After"] == "600"
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    assert len(context.captured_queries) == 0
    # The page counts the API's lookups too; another client is not affected.
    assert client.get(f"/verifier/{certificate.verification_code}/").status_code == 429
    other = public.get(VERIFY.format(certificate.verification_code), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200 and other.json()["status"] == "valid"


# --- schema ----------------------------------------------------------------------------------------------------


def test_schema_documents_the_certificates(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    for operation_id in [
        "certificates_list",
        "certificates_retrieve",
        "certificates_pdf_retrieve",
        "certificates_duplicate",
        "certificates_revoke",
        "jury_sessions_certificates_create",
        "mailing_batches_list",
        "mailing_batches_create",
        "mailing_batches_retrieve",
        "mailing_batches_pdf_retrieve",
        "mailing_batches_sent",
        "mailings_returned",
        "mailings_resend",
        "mailings_pdf_retrieve",
        "cpf_exports_create",
        "cpf_exports_xml_retrieve",
        "cpf_exports_ack",
        "verification_retrieve",
    ]:
        assert operations[operation_id]["summary"], operation_id
    assert {p["name"] for p in operations["certificates_list"]["parameters"]} >= {
        "page",
        "certification",
        "year",
        "revoked",
        "number",
    }
    for pdf in ["certificates_pdf_retrieve", "mailing_batches_pdf_retrieve", "mailings_pdf_retrieve"]:
        assert list(operations[pdf]["responses"]["200"]["content"]) == ["application/pdf"]
    assert {"400", "404", "409"} <= set(operations["certificates_revoke"]["responses"])
    assert list(operations["cpf_exports_ack"]["requestBody"]["content"]) == ["application/xml"]
    verification = operations["verification_retrieve"]
    assert "security" not in verification and "security" not in schema
    # A malformed number is refused (400), an unknown one is not found (404); no login, so no 401/403.
    assert set(verification["responses"]) == {"200", "400", "404", "429"}
