"""CPF reporting (docs/rules.md rule 18): a schema-checked XML file, never twice unless rejected, acknowledgements."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from lxml import etree

from clea.certificates import cpf, services
from clea.certificates.models import Certificate, CpfExport, CpfRecord, CpfRecordStatus
from clea.lib.errors import RuleViolation
from tests.certificates.builders import awarded, certified_copies, closed_session

pytestmark = pytest.mark.django_db
NS = {"c": cpf.NAMESPACE}


@pytest.fixture
def issued(path_setting, session):
    s = path_setting
    template = awarded(s, session, usage_name="Martin")
    decisions = [template, *certified_copies(s, template.entry.dossier, session, 2)]
    return [services.issue_certificate(d, by=s["certifier"]) for d in decisions]


def ack(export, results, when=None):
    return cpf.build_ack(export.public_id, when or timezone.now(), results)


def test_export_is_valid_and_holds_the_required_fields(path_setting, issued):
    export = services.export_to_cpf(by=path_setting["certifier"])
    content = export.content.encode()
    assert cpf.validate(content, root=cpf.EXPORT_ROOT) == []
    root = etree.fromstring(content)
    assert root.tag == f"{{{cpf.NAMESPACE}}}flux"
    assert root.findtext("c:idFlux", namespaces=NS) == str(export.public_id)
    passages = root.findall(".//c:passageCertification", NS)
    assert [p.findtext("c:idTechnique", namespaces=NS) for p in passages] == [str(c.cpf_technical_id) for c in issued]
    first = passages[0]
    assert first.findtext("c:numeroCertificat", namespaces=NS) == "CLEA-2026-000001"
    assert first.findtext("c:dateDebutValidite", namespaces=NS) == "2026-11-27"
    assert first.findtext("c:titulaire/c:nomUsage", namespaces=NS) == "Martin"
    assert first.findtext("c:titulaire/c:prenoms", namespaces=NS) == "Léa Marie"
    assert first.findtext("c:titulaire/c:dateNaissance", namespaces=NS) == "1990-05-17"
    assert first.findtext("c:titulaire/c:sexe", namespaces=NS) == "F"
    assert first.findtext("c:titulaire/c:lieuNaissance/c:codeCommuneInsee", namespaces=NS) == "35238"
    assert export.record_count == 3
    assert set(CpfRecord.objects.values_list("status", flat=True)) == {CpfRecordStatus.SENT}


def test_the_technical_id_is_stable(path_setting, issued):
    before = [c.cpf_technical_id for c in issued]
    services.export_to_cpf(by=path_setting["certifier"])
    assert [c.cpf_technical_id for c in Certificate.objects.order_by("sequence")] == before


def test_pending_and_accepted_are_never_sent_again_rejected_are(path_setting, issued):
    s = path_setting
    first = services.export_to_cpf(by=s["certifier"])
    with pytest.raises(RuleViolation, match="Aucune certification"):
        services.export_to_cpf(by=s["certifier"])  # all pending
    a, b, c = issued
    result = services.import_cpf_ack(
        ack(first, [(a.cpf_technical_id, True, ""), (b.cpf_technical_id, False, "Date de naissance incohérente")]),
        by=s["certifier"],
    )
    assert (result.accepted, result.rejected, result.unknown, result.conflicts) == (1, 1, [], [])
    statuses = dict(CpfRecord.objects.values_list("certificate_id", "status"))
    assert statuses == {a.pk: "accepted", b.pk: "rejected", c.pk: "sent"}
    assert CpfRecord.objects.get(certificate=b).rejection_reason == "Date de naissance incohérente"
    second = services.export_to_cpf(by=s["certifier"])
    assert list(second.records.values_list("certificate_id", flat=True)) == [b.pk]
    assert str(b.cpf_technical_id) in second.content
    assert str(a.cpf_technical_id) not in second.content and str(c.cpf_technical_id) not in second.content


def test_revoked_certificates_are_not_reported(path_setting, issued):
    services.revoke(issued[0], reason="Erreur", by=path_setting["certifier"])
    export = services.export_to_cpf(by=path_setting["certifier"])
    assert export.record_count == 2
    assert str(issued[0].cpf_technical_id) not in export.content


def test_ack_import_is_idempotent_and_reports_what_it_could_not_match(path_setting, issued):
    s = path_setting
    export = services.export_to_cpf(by=s["certifier"])
    content = ack(export, [(issued[0].cpf_technical_id, True, ""), (issued[1].cpf_technical_id, False, "")])
    services.import_cpf_ack(content, by=s["certifier"])
    again = services.import_cpf_ack(content, by=s["certifier"])
    assert (again.accepted, again.rejected, again.unchanged) == (0, 0, 2)
    assert CpfRecord.objects.get(certificate=issued[1]).rejection_reason == "Motif non précisé par l'accusé."
    contradicting = ack(
        export, [(issued[0].cpf_technical_id, False, "Doublon"), (Certificate().cpf_technical_id, True, "")]
    )
    result = services.import_cpf_ack(contradicting, by=s["certifier"])
    assert result.conflicts == [issued[0].number]
    assert len(result.unknown) == 1
    assert CpfRecord.objects.get(certificate=issued[0]).status == "accepted"
    export.refresh_from_db()
    assert export.ack_imported_by == s["certifier"] and "accuseTraitement" in export.ack_content


def test_acknowledgements_are_checked_against_the_schema(path_setting, issued):
    s = path_setting
    export = services.export_to_cpf(by=s["certifier"])
    with pytest.raises(RuleViolation, match="schéma"):
        services.import_cpf_ack(b"<pas du xml", by=s["certifier"])
    with pytest.raises(RuleViolation, match="schéma"):
        services.import_cpf_ack(export.content.encode(), by=s["certifier"])  # a flux is not an acknowledgement
    bad_status = ack(export, [(issued[0].cpf_technical_id, True, "")]).replace(b"ACCEPTE", b"PEUT-ETRE")
    with pytest.raises(RuleViolation, match="schéma"):
        services.import_cpf_ack(bad_status, by=s["certifier"])
    other = CpfExport(content="", sha256="", record_count=0)
    with pytest.raises(RuleViolation, match="fichier inconnu"):
        services.import_cpf_ack(ack(other, [(issued[0].cpf_technical_id, True, "")]), by=s["certifier"])
    assert CpfRecord.objects.filter(status="sent").count() == 3


def test_acknowledgement_cannot_read_local_files(path_setting, issued):
    export = services.export_to_cpf(by=path_setting["certifier"])
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<accuseTraitement xmlns="urn:cdc:cpf:pc5:schema:1.0.0"><idFlux>'
        + str(export.public_id).encode()
        + b"</idFlux><dateTraitement>2026-11-27T10:00:00Z</dateTraitement><resultat><idTechnique>"
        + str(issued[0].cpf_technical_id).encode()
        + b"</idTechnique><statut>REJETE</statut><motifRejet>&x;</motifRejet></resultat></accuseTraitement>"
    )
    with pytest.raises(RuleViolation, match="DOCTYPE"):
        services.import_cpf_ack(evil, by=path_setting["certifier"])
    assert CpfRecord.objects.get(certificate=issued[0]).status == "sent"


def test_an_invalid_export_is_never_written(path_setting, issued):
    Certificate.objects.filter(pk=issued[0].pk).update(holder_birth_name="   ")
    with pytest.raises(RuleViolation, match="schéma CPF"):
        services.export_to_cpf(by=path_setting["certifier"])
    assert not CpfExport.objects.exists() and not CpfRecord.objects.exists()


def test_born_abroad_is_reported_with_the_country(path_setting, session):
    s = path_setting
    decision = awarded(s, session, birth_commune=None, birth_country="Maroc")
    services.issue_certificate(decision, by=s["certifier"])
    export = services.export_to_cpf(by=s["certifier"])
    assert "<paysNaissance>Maroc</paysNaissance>" in export.content


def test_overdue_awards_not_accepted_within_three_months(path_setting, issued):
    s = path_setting
    today = datetime.date(2027, 2, 28)
    assert Certificate.objects.cpf_overdue(today).count() == 3
    assert Certificate.objects.cpf_overdue(datetime.date(2027, 2, 27)).count() == 0  # exactly 3 months: not yet
    export = services.export_to_cpf(by=s["certifier"])
    services.import_cpf_ack(ack(export, [(issued[0].cpf_technical_id, True, "")]), by=s["certifier"])
    overdue = Certificate.objects.cpf_overdue(today)
    assert set(overdue) == {issued[1], issued[2]}  # sent but not accepted still counts as overdue
    older = closed_session(s, date=datetime.date(2026, 1, 10))
    services.issue_certificate(certified_copies(s, issued[0].dossier, older, 1)[0], by=s["certifier"])
    assert Certificate.objects.cpf_overdue(datetime.date(2026, 11, 27)).count() == 1


def test_management_commands(path_setting, issued, tmp_path):
    output = tmp_path / "flux.xml"
    call_command("export_cpf", "--output", str(output), stderr=io.StringIO())
    export = CpfExport.objects.get()
    assert output.read_text(encoding="utf-8") == export.content
    assert export.created_by is None
    with pytest.raises(CommandError, match="Aucune certification"):
        call_command("export_cpf", stdout=io.StringIO())
    ack_file = tmp_path / "accuse.xml"
    ack_file.write_bytes(ack(export, [(c.cpf_technical_id, True, "") for c in issued]))
    out = io.StringIO()
    call_command("import_cpf_ack", str(ack_file), stdout=out)
    assert "3 acceptés, 0 rejeté" in out.getvalue()
    assert set(CpfRecord.objects.values_list("status", flat=True)) == {"accepted"}
    with pytest.raises(CommandError, match="Lecture impossible"):
        call_command("import_cpf_ack", str(tmp_path / "absent.xml"))


def test_export_to_stdout(path_setting, issued):
    out = io.StringIO()
    call_command("export_cpf", stdout=out)
    assert out.getvalue().startswith("<?xml") and "passageCertification" in out.getvalue()
