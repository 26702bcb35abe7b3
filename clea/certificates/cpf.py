"""The CPF reporting file in the Caisse des Dépôts' format, and its acknowledgement (docs/rules.md rule 18).

``data/cpf-pc5.xsd`` is written from the published facts of the format (version 1.1.2, namespace
``urn:cdc:cpf:pc5:schema:1.0.0``): ``flux/emetteur/certificateurs/certificateur/certifications/
certification/passageCertifications/passageCertification``, one per award keyed by its stable
``idTechnique``, the holder identified by civil identity. The same schema describes the
``accuseTraitement`` as the platform reads it (each ``idTechnique`` ACCEPTE or REJETE with a reason).
Every file is validated before it is recorded; the file is written element by element, so a large
export is never a whole tree in memory.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone

NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "cpf-pc5.xsd"
EXPORT_ROOT = "flux"
ACK_ROOT = "accuseTraitement"
MAX_RECORDS = 5000
MAX_ACK_BYTES = 20 * 1024 * 1024
NAME_MAX = 60
CLIENT_ID = re.compile(r"\A\S{8}\Z")


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

    if len(content) > MAX_ACK_BYTES and root == ACK_ROOT:
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


# ------------------------------------------------------------------------------------- the holder


def first_names_parts(first_names: str) -> list[str]:
    """prenom1, prenom2, prenom3: commas separate names when there are any ("Marie Claire, Anne"),
    else spaces do; a fourth name and later ones go with the third."""
    separator = "," if "," in first_names else None
    names = [n.strip() for n in first_names.split(separator) if n.strip()]
    if len(names) > 3:
        names = [*names[:2], (", " if separator else " ").join(names[2:])]
    return names


def birth_country_code(insee_code: str) -> str:
    """The 3 characters of ``codePaysNaissance``: the last three digits of INSEE's 99XXX code, the
    likeliest reading of the format (unconfirmed); ``CPF_BIRTH_COUNTRY_CODES`` overrides any country."""
    overrides = getattr(settings, "CPF_BIRTH_COUNTRY_CODES", {})
    return overrides.get(insee_code, insee_code[-3:])


def missing_fields(certificate) -> list[str]:
    """What keeps this award out of a valid file, in French (empty: it can be reported)."""
    problems = []
    if not certificate.holder_birth_name.strip():
        problems.append("nom de naissance")
    elif len(certificate.holder_birth_name) > NAME_MAX:
        problems.append(f"nom de naissance de {NAME_MAX} caractères au plus")
    if len(certificate.holder_usage_name) > NAME_MAX:
        problems.append(f"nom d'usage de {NAME_MAX} caractères au plus")
    parts = first_names_parts(certificate.holder_first_names)
    if not parts:
        problems.append("prénom")
    elif any(len(part) > NAME_MAX for part in parts):
        problems.append(f"prénoms de {NAME_MAX} caractères au plus chacun")
    if not 1900 <= certificate.holder_birth_date.year <= 2099:
        problems.append("année de naissance entre 1900 et 2099")
    if certificate.holder_sex not in ("M", "F"):
        problems.append("sexe (M ou F)")
    if not certificate.holder_birth_commune_code and not certificate.holder_birth_country_code:
        if certificate.holder_birth_country:
            problems.append(f"pays de naissance de la liste officielle (« {certificate.holder_birth_country} »)")
        else:
            problems.append("commune de naissance (code INSEE) ou pays de naissance")
    return problems


def maybe_incomplete() -> Q:
    """A superset, in SQL, of the awards ``missing_fields`` refuses (the pages then ask it row by row);
    it needs the lengths of ``with_lengths``."""
    return (
        ~Q(holder_birth_name__regex=r"\S")
        | Q(holder_birth_name_length__gt=NAME_MAX)
        | Q(holder_usage_name_length__gt=NAME_MAX)
        | Q(holder_first_names_length__gt=NAME_MAX)
        | ~Q(holder_first_names__regex=r"[^\s,]")
        | ~Q(holder_sex__in=("M", "F"))
        | Q(holder_birth_date__year__lt=1900)
        | Q(holder_birth_commune_code="", holder_birth_country_code="")
    )


def with_lengths(queryset):
    return queryset.annotate(
        holder_birth_name_length=Length("holder_birth_name"),
        holder_usage_name_length=Length("holder_usage_name"),
        holder_first_names_length=Length("holder_first_names"),
    )


# ---------------------------------------------------------------------------------------- the file


@dataclass(frozen=True)
class Sender:
    """The certifier's identifiers and the registry code of each certification it reports."""

    sender_client_id: str
    certifier_client_id: str
    contract_id: str
    depositor_nature: str
    registry: dict[int, tuple[str, str]]  # certification id -> (type, code)

    def problems(self, certifications: Iterable) -> list[str]:
        """The settings still to enter before a file for these certifications can be written."""
        problems = []
        if not CLIENT_ID.fullmatch(self.sender_client_id):
            problems.append("l'identifiant client de l'émetteur (8 caractères)")
        if not CLIENT_ID.fullmatch(self.certifier_client_id):
            problems.append("l'identifiant client du certificateur (8 caractères)")
        if not 1 <= len(self.contract_id.strip()) <= 20:
            problems.append("le numéro de contrat (1 à 20 caractères)")
        for certification in certifications:
            if certification.pk not in self.registry:
                problems.append(f"le code au répertoire de la certification {certification}")
        return problems


def _nil_or_text(element, text, nil: bool):
    if nil:
        element.set(f"{{{XSI}}}nil", "true")
    elif text is not None:
        element.text = str(text)
    return element


def _element(name: str, text=None, *, nil: bool = False):
    """A top-level piece of the streamed file (it repeats the namespaces: lxml's xmlfile cannot inherit them)."""
    from lxml import etree

    return _nil_or_text(etree.Element(_q(name), nsmap={None: NAMESPACE, "xsi": XSI}), text, nil)


def _sub(parent, name: str, text=None, *, nil: bool = False):
    from lxml import etree

    return _nil_or_text(etree.SubElement(parent, _q(name)), text, nil)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def passage(certificate):
    """One ``passageCertification`` (the award must have no ``missing_fields``)."""
    node = _element("passageCertification")
    _sub(node, "idTechnique", certificate.cpf_technical_id)
    if len(certificate.verification_url) <= 255:
        _sub(node, "urlPreuve", certificate.verification_url)
    _sub(node, "obtentionCertification", "PAR_ADMISSION")  # a jury's decision
    # The platform records no check against an identity document: the identity is declared, not certified.
    _sub(node, "donneeCertifiee", "false")
    first, last = getattr(certificate, "first_sitting", None), getattr(certificate, "last_sitting", None)
    if first and last:
        _sub(node, "dateDebutExamen", _date(first))
        _sub(node, "dateFinExamen", _date(last))
    _sub(node, "dateDebutValidite", _date(certificate.awarded_on))
    _sub(node, "dateFinValidite", nil=True)  # CléA does not expire
    _sub(node, "presenceNiveauLangueEuro", "false")
    _sub(node, "presenceNiveauNumeriqueEuro", "false")
    _sub(node, "scoring", nil=True)
    _sub(node, "mentionValidee", nil=True)
    registration = _sub(node, "modalitesInscription")
    _sub(registration, "modaliteAcces", nil=True)
    registered_at = getattr(certificate, "registered_at", None)  # the dossier's opening
    if registered_at:
        _sub(registration, "dateInscription", _date(timezone.localdate(registered_at)))
    holder = _sub(_sub(node, "identificationTitulaire"), "titulaire")
    _sub(holder, "nomNaissance", certificate.holder_birth_name.strip())
    if certificate.holder_usage_name.strip():
        _sub(holder, "nomUsage", certificate.holder_usage_name.strip())
    else:
        _sub(holder, "nomUsage", nil=True)
    for index, name in enumerate(first_names_parts(certificate.holder_first_names), start=1):
        _sub(holder, f"prenom{index}", name)
    born = certificate.holder_birth_date
    _sub(holder, "anneeNaissance", born.year)
    _sub(holder, "moisNaissance", born.month)
    _sub(holder, "jourNaissance", born.day)
    _sub(holder, "sexe", certificate.holder_sex)
    place = _sub(holder, "codeCommuneNaissance")
    if certificate.holder_birth_commune_code:
        _sub(_sub(place, "codeInseeNaissance"), "codeInsee", certificate.holder_birth_commune_code)
        if 1 <= len(certificate.holder_birth_place) <= NAME_MAX:
            _sub(holder, "libelleCommuneNaissance", certificate.holder_birth_place)
    else:
        _sub(_sub(place, "codePostalNaissance"), "codePostal", nil=True)
        _sub(holder, "codePaysNaissance", birth_country_code(certificate.holder_birth_country_code))
        if 1 <= len(certificate.holder_birth_country) <= NAME_MAX:
            _sub(holder, "libellePaysNaissance", certificate.holder_birth_country)
    return node


def write_export(
    out, flux_id: uuid.UUID, created_at: datetime.datetime, sender: Sender, certificates: Iterable
) -> None:
    """Write the ``flux`` for these awards, ordered by certification, to the binary stream ``out``."""
    from lxml import etree

    stamp = timezone.localtime(created_at).replace(microsecond=0).isoformat()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(_q("flux"), nsmap={None: NAMESPACE, "xsi": XSI}):
            xf.write(_element("idFlux", flux_id), _element("horodatage", stamp))
            with xf.element(_q("emetteur")):
                xf.write(_element("idClient", sender.sender_client_id))
                with xf.element(_q("certificateurs")), xf.element(_q("certificateur")):
                    xf.write(
                        _element("idClient", sender.certifier_client_id), _element("idContrat", sender.contract_id)
                    )
                    with xf.element(_q("certifications")):
                        for certification_id, awards in itertools.groupby(certificates, lambda c: c.certification_id):
                            kind, code = sender.registry[certification_id]
                            with xf.element(_q("certification")):
                                xf.write(_element("type", kind), _element("code", code))
                                xf.write(_element("natureDeposant", sender.depositor_nature))
                                with xf.element(_q("passageCertifications")):
                                    for certificate in awards:
                                        xf.write(passage(certificate))
                                        xf.flush()


def build_export(flux_id: uuid.UUID, created_at: datetime.datetime, sender: Sender, certificates: Iterable) -> bytes:
    out = io.BytesIO()
    write_export(out, flux_id, created_at, sender, certificates)
    return out.getvalue()


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
