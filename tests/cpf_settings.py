"""The certifier has entered its Caisse des Dépôts identifiers (tests of their absence delete them)."""

from clea.certificates.models import CpfCertificationCode, CpfSettings
from clea.referentiel.models import Certification


def enter_cpf_settings() -> None:
    CpfSettings.objects.get_or_create(
        pk=1, defaults={"sender_client_id": "CDC00001", "certifier_client_id": "CDC00002", "contract_id": "CTR-2026"}
    )
    for certification in Certification.objects.all():
        CpfCertificationCode.objects.get_or_create(
            certification=certification, defaults={"registry_code": f"RS-{certification.code}"}
        )
