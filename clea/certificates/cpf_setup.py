"""The certifier's CPF settings (its Caisse des Dépôts identifiers, each certification's registry code)
and the awards that cannot be reported yet, with what they miss (docs/rules.md rule 18)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.certificates import cpf
from clea.certificates.models import Certificate, CpfCertificationCode, CpfSettings
from clea.referentiel.models import Certification

BLOCKED_LIMIT = 500


def current_sender() -> cpf.Sender:
    config = CpfSettings.current()
    return cpf.Sender(
        sender_client_id=config.sender_client_id,
        certifier_client_id=config.certifier_client_id,
        contract_id=config.contract_id,
        depositor_nature=config.depositor_nature,
        registry={c.certification_id: (c.registry_type, c.registry_code) for c in CpfCertificationCode.objects.all()},
    )


@transaction.atomic
def save_settings(values: dict, registry: dict[Certification, tuple[str, str]], *, by: User) -> CpfSettings:
    """Record the identifiers and the registry codes together (validated by the form beforehand)."""
    config = CpfSettings.objects.select_for_update().order_by("pk").first() or CpfSettings()
    for name, value in values.items():
        setattr(config, name, value)
    config.updated_at, config.updated_by = timezone.now(), by
    config.save()
    for certification, (kind, code) in registry.items():
        CpfCertificationCode.objects.update_or_create(
            certification=certification, defaults={"registry_type": kind, "registry_code": code}
        )
    return config


@dataclass(frozen=True)
class Blocked:
    certificate: Certificate
    missing: list[str]


def blocked_awards(limit: int = BLOCKED_LIMIT) -> tuple[list[Blocked], bool]:
    """Awards to report whose identity keeps them out of the file (oldest first), and whether there are
    more than ``limit``: SQL narrows to the likely ones, ``cpf.missing_fields`` decides."""
    likely = (
        cpf.with_lengths(Certificate.objects.cpf_to_report())
        .filter(cpf.maybe_incomplete())
        .select_related("certification")
        .order_by("awarded_on", "pk")
    )
    found: list[Blocked] = []
    for certificate in likely.iterator(chunk_size=500):
        missing = cpf.missing_fields(certificate)
        if missing:
            if len(found) == limit:
                return found, True
            found.append(Blocked(certificate, missing))
    return found, False
