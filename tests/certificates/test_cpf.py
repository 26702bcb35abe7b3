"""CPF reporting (docs/rules.md rule 18): a schema-checked XML file, never twice unless rejected, acknowledgements."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from clea.certificates import cpf, services
from clea.certificates.models import (
    Certificate,
    CpfCertificationCode,
    CpfExport,
    CpfRecord,
    CpfRecordStatus,
    CpfSettings,
)
from clea.geography.models import Country
from clea.lib.errors import RuleViolation
from clea.referentiel.models import Certification
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


def _holder(passage, name):
    return passage.findtext(f"c:identificationTitulaire/c:titulaire/c:{name}", namespaces=NS)


def test_export_follows_the_caisse_des_depots_tree(path_setting, issued):
    export = services.export_to_cpf(by=path_setting["certifier"])
    content = export.content.encode()
    assert cpf.validate(content, root=cpf.EXPORT_ROOT) == []
    root = etree.fromstring(content)
    assert root.tag == f"{{{cpf.NAMESPACE}}}flux"
    assert root.findtext("c:idFlux", namespaces=NS) == str(export.public_id)
    assert (
        root.findtext("c:horodatage", namespaces=NS)
        == timezone.localtime(export.created_at).replace(microsecond=0).isoformat()
    )
    assert root.findtext("c:emetteur/c:idClient", namespaces=NS) == "CDC00001"
    certifier = root.find("c:emetteur/c:certificateurs/c:certificateur", NS)
    assert (certifier.findtext("c:idClient", namespaces=NS), certifier.findtext("c:idContrat", namespaces=NS)) == (
        "CDC00002",
        "CTR-2026",
    )
    (certification,) = certifier.findall("c:certifications/c:certification", NS)
    assert [certification.findtext(f"c:{n}", namespaces=NS) for n in ("type", "code", "natureDeposant")] == [
        "RS",
        "RS-CLEA",
        "CERTIFICATEUR",
    ]
    passages = certification.findall("c:passageCertifications/c:passageCertification", NS)
    assert [p.findtext("c:idTechnique", namespaces=NS) for p in passages] == [str(c.cpf_technical_id) for c in issued]
    first = passages[0]
    assert first.findtext("c:obtentionCertification", namespaces=NS) == "PAR_ADMISSION"
    assert first.findtext("c:dateDebutValidite", namespaces=NS) == "2026-11-27"
    assert first.find("c:dateFinValidite", NS).get(f"{{{cpf.XSI}}}nil") == "true"
    assert first.find("c:modalitesInscription/c:modaliteAcces", NS).get(f"{{{cpf.XSI}}}nil") == "true"
    assert first.findtext("c:urlPreuve", namespaces=NS) == issued[0].verification_url
    assert _holder(first, "nomUsage") == "Martin"
    assert (_holder(first, "prenom1"), _holder(first, "prenom2"), _holder(first, "prenom3")) == ("Léa", "Marie", None)
    assert (_holder(first, "anneeNaissance"), _holder(first, "moisNaissance"), _holder(first, "jourNaissance")) == (
        "1990",
        "5",
        "17",
    )
    assert _holder(first, "sexe") == "F"
    assert _holder(first, "codeCommuneNaissance/c:codeInseeNaissance/c:codeInsee") == "35238"
    assert _holder(first, "libelleCommuneNaissance") == "Rennes"
    assert export.record_count == 3
    assert set(CpfRecord.objects.values_list("status", flat=True)) == {CpfRecordStatus.SENT}


def test_a_holder_born_abroad_is_reported_with_the_country(path_setting, issued):
    Certificate.objects.filter(pk=issued[1].pk).update(
        holder_birth_commune_code="", holder_birth_place="", holder_birth_country="Maroc",
        holder_birth_country_code="99350",
    )  # fmt: skip
    export = services.export_to_cpf(by=path_setting["certifier"])
    root = etree.fromstring(export.content.encode())
    abroad = root.findall(".//c:passageCertification", NS)[1]
    place = abroad.find("c:identificationTitulaire/c:titulaire/c:codeCommuneNaissance", NS)
    assert place.find("c:codeInseeNaissance", NS) is None
    assert place.find("c:codePostalNaissance/c:codePostal", NS).get(f"{{{cpf.XSI}}}nil") == "true"
    assert (_holder(abroad, "codePaysNaissance"), _holder(abroad, "libellePaysNaissance")) == ("350", "Maroc")


def test_an_incomplete_identity_waits_and_is_listed_with_what_it_misses(client, path_setting, issued):
    Certificate.objects.filter(pk=issued[2].pk).update(
        holder_birth_commune_code="", holder_birth_place="", holder_birth_country="Pays disparu",
        holder_birth_country_code="",
    )  # fmt: skip
    Certificate.objects.filter(pk=issued[1].pk).update(holder_birth_name="X" * 61)
    export = services.export_to_cpf(by=path_setting["certifier"])
    assert list(export.records.values_list("certificate", flat=True)) == [issued[0].pk]
    client.force_login(path_setting["certifier"])
    page = client.get(reverse("certificates:cpf_blocked")).content.decode()
    assert issued[1].number in page and "nom de naissance de 60 caractères au plus" in page
    assert issued[2].number in page and "pays de naissance de la liste officielle (« Pays disparu »)" in page
    assert issued[0].number not in page


@pytest.mark.parametrize(
    ("first_names", "parts"),
    [
        ("Léa", ["Léa"]),
        ("Léa Marie", ["Léa", "Marie"]),
        ("Jean-Pierre  Paul André Louis", ["Jean-Pierre", "Paul", "André Louis"]),
        ("Marie Claire, Anne", ["Marie Claire", "Anne"]),
        ("A, B, C, D", ["A", "B", "C, D"]),
        ("  ", []),
    ],
)
def test_first_names_are_split_in_three_at_most(first_names, parts):
    assert cpf.first_names_parts(first_names) == parts


@given(
    birth_name=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80),
    first_names=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=200),
    sex=st.sampled_from(["M", "F", "X"]),
    commune=st.sampled_from(["", "35238"]),
    country=st.sampled_from(["", "99350"]),
)
@settings(max_examples=60, deadline=None)
def test_missing_fields_agrees_with_the_sql_superset(birth_name, first_names, sex, commune, country):
    """Whatever ``missing_fields`` refuses, ``maybe_incomplete`` selects: the list of blocked awards is whole."""
    certificate = Certificate(
        holder_birth_name=birth_name, holder_usage_name="", holder_first_names=first_names, holder_sex=sex,
        holder_birth_date=datetime.date(1990, 5, 17), holder_birth_commune_code=commune,
        holder_birth_country_code=country, holder_birth_country="",
    )  # fmt: skip
    if cpf.missing_fields(certificate):
        lengths = {
            "holder_birth_name_length": len(birth_name),
            "holder_usage_name_length": 0,
            "holder_first_names_length": len(first_names),
        }
        assert _matches(cpf.maybe_incomplete(), certificate, lengths)


def _matches(q, certificate, lengths) -> bool:
    """Evaluate a Q of exact/gt/in/year lookups against one object, as the database would."""
    results = []
    for child in q.children:
        if hasattr(child, "children"):
            results.append(_matches(child, certificate, lengths))
            continue
        lookup, expected = child
        field, _, op = lookup.partition("__")
        value = lengths[field] if field in lengths else getattr(certificate, field)
        if op == "regex":
            results.append(re.search(expected, value) is not None)
        elif op == "year__lt":
            results.append(value.year < expected)
        elif op == "gt":
            results.append(value > expected)
        elif op == "in":
            results.append(value in expected)
        else:
            results.append(value == expected)
    outcome = any(results) if q.connector == "OR" else all(results)
    return not outcome if q.negated else outcome


def test_no_file_before_the_certifier_enters_its_identifiers(path_setting, issued):
    CpfSettings.objects.update(certifier_client_id="")
    CpfCertificationCode.objects.all().delete()
    with pytest.raises(RuleViolation) as raised:
        services.export_to_cpf(by=path_setting["certifier"])
    assert "l'identifiant client du certificateur (8 caractères)" in raised.value.message
    assert "le code au répertoire de la certification" in raised.value.message
    assert not CpfExport.objects.exists()


def test_the_certifier_enters_its_settings_in_its_screen(client, path_setting):
    clea = path_setting["clea"]
    client.force_login(path_setting["certifier"])
    url = reverse("certificates:cpf_settings")
    data = {
        "sender_client_id": "ABCDEFGH",
        "certifier_client_id": "ABCDEFGH",
        "contract_id": "C-42",
        "depositor_nature": "CERTIFICATEUR",
    }
    for certification in Certification.objects.all():
        data[f"type_{certification.pk}"] = "RS"
        data[f"code_{certification.pk}"] = f"RS{certification.pk}"
    bad = client.post(url, {**data, "sender_client_id": "ABC", f"code_{clea.pk}": ""})
    assert bad.status_code == 400
    assert "exactement 8 caractères" in bad.content.decode()
    assert CpfSettings.objects.get().sender_client_id == "CDC00001"  # nothing written
    assert client.post(url, data).status_code == 302
    config = CpfSettings.objects.get()
    assert (config.sender_client_id, config.contract_id, config.updated_by) == (
        "ABCDEFGH",
        "C-42",
        path_setting["certifier"],
    )
    assert CpfCertificationCode.objects.get(certification=clea).registry_code == f"RS{clea.pk}"


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


def test_an_invalid_export_is_never_written(path_setting, issued, monkeypatch):
    written = cpf.passage

    def without_sex(certificate):
        node = written(certificate)
        holder = node.find(".//c:titulaire", NS)
        holder.remove(holder.find("c:sexe", NS))
        return node

    monkeypatch.setattr(cpf, "passage", without_sex)
    with pytest.raises(RuleViolation, match="schéma CPF"):
        services.export_to_cpf(by=path_setting["certifier"])
    assert not CpfExport.objects.exists() and not CpfRecord.objects.exists()


def test_born_abroad_is_reported_with_the_country(path_setting, session):
    s = path_setting
    decision = awarded(s, session, birth_commune=None, birth_country=Country.objects.get(code="99350"))
    certificate = services.issue_certificate(decision, by=s["certifier"])
    assert (certificate.holder_birth_country, certificate.holder_birth_country_code) == ("Maroc", "99350")
    export = services.export_to_cpf(by=s["certifier"])
    assert "<codePaysNaissance>350</codePaysNaissance>" in export.content


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
