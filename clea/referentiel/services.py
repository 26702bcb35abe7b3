"""Business verbs on référentiels: import a version, put it in force, archive it, load shipped files."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clea.accounts.models import User
from clea.referentiel.documents import ParsedDocument, parse_json
from clea.referentiel.models import (
    Certification,
    Criterion,
    Domain,
    ReferentielVersion,
    RuleProfile,
    Subdomain,
    VersionStatus,
)
from clea.referentiel.structure import ReferentielSpec

SHIPPED_FILES = ["clea.json", "clea-numerique.json"]


class TransitionError(Exception):
    """A status change that the current status does not allow; the message is for the user."""


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _profile_fields(spec: ReferentielSpec) -> dict[str, Decimal | int]:
    profile = spec.profile
    return {
        "overall_threshold_percent": _decimal(profile.overall_threshold_percent),
        "max_initial_assessment_minutes": profile.max_initial_assessment_minutes,
        "max_final_assessment_minutes": profile.max_final_assessment_minutes,
        "path_validity_years": profile.path_validity_years,
        "jury_min_members_per_college": profile.jury_min_members_per_college,
        "fee_initial_assessment_cents": profile.fee_initial_assessment_cents,
        "fee_certificate_cents": profile.fee_certificate_cents,
    }


def latest_version(certification: Certification) -> ReferentielVersion | None:
    return ReferentielVersion.objects.with_structure().filter(certification=certification).order_by("-number").first()


@transaction.atomic
def import_version(
    document: ParsedDocument, *, by: User | None = None, certification: Certification | None = None
) -> ReferentielVersion:
    """Create a new draft version from a validated document (the certification is created if new).

    A document without rule profile (CSV) keeps the profile of the certification's latest version.
    """
    spec = document.spec
    if certification is None:
        certification, _ = Certification.objects.get_or_create(
            code=spec.certification_code,
            defaults={
                "name": spec.certification_name,
                "full_name": document.full_name,
                "certifier_name": document.certifier_name,
            },
        )
    previous = latest_version(certification)
    if not document.has_profile and previous is not None:
        spec = replace(spec, profile=previous.profile.to_spec())
    version = ReferentielVersion.objects.create(
        certification=certification,
        number=ReferentielVersion.next_number(certification),
        label=spec.label,
        provisional=spec.provisional,
        source=spec.source,
        created_by=by,
    )
    RuleProfile.objects.create(version=version, **_profile_fields(spec))
    domains = Domain.objects.bulk_create(
        Domain(version=version, code=d.code, title=d.title, position=i) for i, d in enumerate(spec.domains)
    )
    subdomains = Subdomain.objects.bulk_create(
        Subdomain(
            version=version,
            domain=domain,
            code=s.code,
            title=s.title,
            position=i,
            threshold_percent=_decimal(s.threshold_percent),
        )
        for domain, d in zip(domains, spec.domains, strict=True)
        for i, s in enumerate(d.subdomains)
    )
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            subdomain=subdomain,
            code=c.code,
            title=c.title,
            indicator=c.indicator,
            position=i,
            weight=c.weight,
            mandatory=c.mandatory,
        )
        for subdomain, s in zip(subdomains, spec.subdomains(), strict=True)
        for i, c in enumerate(s.criteria)
    )
    return version


@transaction.atomic
def activate_version(version: ReferentielVersion, *, by: User | None) -> ReferentielVersion:
    """Put a draft in force; the version in force until now is archived in the same transaction."""
    version = ReferentielVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise TransitionError("Seul un brouillon peut être mis en vigueur.")
    now = timezone.now()
    ReferentielVersion.objects.filter(certification_id=version.certification_id, status=VersionStatus.ACTIVE).update(
        status=VersionStatus.ARCHIVED, archived_at=now, archived_by=by
    )
    ReferentielVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.ACTIVE, activated_at=now, activated_by=by
    )
    version.refresh_from_db()
    return version


@transaction.atomic
def archive_version(version: ReferentielVersion, *, by: User) -> ReferentielVersion:
    version = ReferentielVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.ARCHIVED:
        raise TransitionError("Cette version est déjà archivée.")
    ReferentielVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.ARCHIVED, archived_at=timezone.now(), archived_by=by
    )
    version.refresh_from_db()
    return version


@transaction.atomic
def delete_draft(version: ReferentielVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise TransitionError("Seul un brouillon peut être supprimé.")
    # The cascade deletes the rows of a draft in bulk (their own delete() guard is for single rows).
    version.delete()


def _same_content(a: ReferentielSpec, b: ReferentielSpec) -> bool:
    return (a.domains, a.profile, a.label) == (b.domains, b.profile, b.label)


def load_shipped_referentiels(directory: Path | None = None) -> list[tuple[str, str]]:
    """Load the référentiels shipped with the project; a file already loaded adds nothing.

    Returns (certification code, what happened) pairs for the command's output.
    """
    directory = directory or Path(settings.REFERENTIELS_DIR)
    report = []
    for name in SHIPPED_FILES:
        document = parse_json((directory / name).read_bytes(), fill_provisional=True)
        spec = document.spec
        certification = Certification.objects.filter(code=spec.certification_code).first()
        existing = (
            ReferentielVersion.objects.with_structure().filter(certification=certification) if certification else []
        )
        if any(_same_content(v.to_spec(), spec) for v in existing):
            report.append((spec.certification_code, "déjà chargé"))
            continue
        with transaction.atomic():
            version = import_version(document)
            has_active = ReferentielVersion.objects.filter(
                certification=version.certification, status=VersionStatus.ACTIVE
            ).exists()
            if not has_active:
                activate_version(version, by=None)
        report.append((spec.certification_code, f"version {version.number} chargée"))
    return report
