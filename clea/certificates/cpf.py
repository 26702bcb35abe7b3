"""The CPF reporting file and its acknowledgement (docs/rules.md rule 18), checked against our own schema.

``data/cpf-pc5.xsd`` describes both documents in the namespace ``urn:cdc:cpf:pc5:schema:1.0.0``: the
``flux`` we send (one ``passageCertification`` per award, keyed by the award's stable ``idTechnique``)
and the ``accuseTraitement`` we receive (each ``idTechnique`` ACCEPTE or REJETE with a reason). The
element names follow the public description of the "accrochage" file; the exact national schema is
not public, so the platform validates against this one before writing anything, and a change of
format is a change of this schema and of ``build_export``/``parse_ack`` only.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from clea.certificates.documents import sender_lines

NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "cpf-pc5.xsd"
EXPORT_ROOT = "flux"
ACK_ROOT = "accuseTraitement"
MAX_RECORDS = 5000
MAX_ACK_BYTES = 20 * 1024 * 1024


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _parser():
    from lxml import etree

    # No DTD, no entities, no network: an uploaded acknowledgement cannot read files or call out.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), _parser()))


def validate(content: bytes, *, root: str) -> list[str]:
    """French list of what is wrong (empty when the document is valid and has the expected root)."""
    from lxml import etree

    if len(content) > MAX_ACK_BYTES:
        return ["fichier trop volumineux"]
    try:
        document = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        return [f"XML mal formé : {exc}"]
    if document.getroottree().docinfo.doctype:
        return ["déclaration DOCTYPE refusée"]
    if document.tag != _q(root):
        return [f"élément racine attendu : {root} dans l'espace de noms {NAMESPACE}"]
    schema = _schema()
    try:
        if schema.validate(document):
            return []
    except etree.XMLSchemaValidateError as exc:
        return [f"document illisible : {exc}"]
    return [f"ligne {error.line} : {error.message}" for error in schema.error_log]


def certification_reference(certification) -> tuple[str, str]:
    """(RS or RNCP, code) from ``CPF_CERTIFICATION_CODES`` in the settings; until configured, the
    platform's own code (the national registry number must be set before a real submission)."""
    mapping = getattr(settings, "CPF_CERTIFICATION_CODES", {})
    kind, code = mapping.get(certification.code, ("RS", certification.code))
    return kind, code


def build_export(flux_id: uuid.UUID, created_at: datetime.datetime, certificates: Iterable) -> bytes:
    """The ``flux`` document for these certificates, grouped by certification."""
    from lxml import etree

    def sub(parent, name: str, text=None):
        element = etree.SubElement(parent, _q(name))
        if text is not None:
            element.text = str(text)
        return element

    root = etree.Element(_q("flux"), nsmap={None: NAMESPACE})
    sub(root, "idFlux", flux_id)
    sub(root, "horodatage", created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    emitter = sub(root, "emetteur")
    for setting, name in (("CPF_CLIENT_ID", "idClient"), ("CPF_CONTRACT_ID", "idContrat")):
        if getattr(settings, setting, ""):
            sub(emitter, name, getattr(settings, setting))
    groups: dict[int, tuple] = {}
    for certificate in certificates:
        groups.setdefault(certificate.certification_id, (certificate.certification, []))[1].append(certificate)
    sub(emitter, "certificateur", sender_lines()[0])
    holders = sub(root, "certifications")
    for certification, awards in groups.values():
        node = sub(holders, "certification")
        kind, code = certification_reference(certification)
        sub(node, "type", kind)
        sub(node, "code", code)
        sub(node, "intitule", certification.full_name or certification.name)
        passages = sub(node, "passagesCertifications")
        for certificate in awards:
            passage = sub(passages, "passageCertification")
            sub(passage, "idTechnique", certificate.cpf_technical_id)
            sub(passage, "numeroCertificat", certificate.number)
            sub(passage, "obtentionCertification", "PAR_ADMISSION")
            sub(passage, "donneeCertifiee", "true")
            sub(passage, "dateDebutValidite", certificate.awarded_on.isoformat())
            holder = sub(passage, "titulaire")
            sub(holder, "nomNaissance", certificate.holder_birth_name)
            if certificate.holder_usage_name:
                sub(holder, "nomUsage", certificate.holder_usage_name)
            sub(holder, "prenoms", certificate.holder_first_names)
            sub(holder, "dateNaissance", certificate.holder_birth_date.isoformat())
            sub(holder, "sexe", certificate.holder_sex)
            birth = sub(holder, "lieuNaissance")
            if certificate.holder_birth_commune_code:
                sub(birth, "codeCommuneInsee", certificate.holder_birth_commune_code)
            else:
                sub(birth, "paysNaissance", certificate.holder_birth_country)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True)
class AckItem:
    technical_id: uuid.UUID
    accepted: bool
    reason: str


@dataclass(frozen=True)
class Ack:
    flux_id: uuid.UUID
    processed_at: datetime.datetime
    items: tuple[AckItem, ...]


def parse_ack(content: bytes) -> Ack:
    """Read an acknowledgement that ``validate`` accepted."""
    from lxml import etree

    root = etree.fromstring(content, _parser())

    def text(node, name: str) -> str:
        found = node.find(_q(name))
        return (found.text or "").strip() if found is not None else ""

    processed_at = datetime.datetime.fromisoformat(text(root, "dateTraitement").replace("Z", "+00:00"))
    if processed_at.tzinfo is None:
        processed_at = processed_at.replace(tzinfo=datetime.UTC)
    items = tuple(
        AckItem(uuid.UUID(text(node, "idTechnique")), text(node, "statut") == "ACCEPTE", text(node, "motifRejet"))
        for node in root.iter(_q("resultat"))
    )
    return Ack(uuid.UUID(text(root, "idFlux")), processed_at, items)


def build_ack(flux_id, processed_at: datetime.datetime, results: Iterable[tuple[uuid.UUID, bool, str]]) -> bytes:
    """An acknowledgement in our schema (used by tests and to simulate the CPF system in demos)."""
    from lxml import etree

    root = etree.Element(_q(ACK_ROOT), nsmap={None: NAMESPACE})
    etree.SubElement(root, _q("idFlux")).text = str(flux_id)
    etree.SubElement(root, _q("dateTraitement")).text = processed_at.astimezone(datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    for technical_id, accepted, reason in results:
        node = etree.SubElement(root, _q("resultat"))
        etree.SubElement(node, _q("idTechnique")).text = str(technical_id)
        etree.SubElement(node, _q("statut")).text = "ACCEPTE" if accepted else "REJETE"
        if reason:
            etree.SubElement(node, _q("motifRejet")).text = reason
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
