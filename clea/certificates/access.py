"""Fetch one certificate-scoped object for a request: invisible means 404."""

from __future__ import annotations

from django.http import Http404

from clea.certificates.models import Certificate, CpfExport, Mailing, MailingBatch
from clea.jury.models import JurySession
from clea.organisations.permissions import is_certifier


def get_certificate_for_user_or_404(user, public_id) -> Certificate:
    certificate = (
        Certificate.objects.visible_to(user)
        .select_related(
            "certification",
            "jury_session__region",
            "dossier__evaluator_organisation",
            "issued_by",
            "revoked_by",
        )
        .filter(public_id=public_id)
        .first()
    )
    if certificate is None:
        raise Http404("Certificat introuvable.")
    return certificate


def _certifier_only(user, queryset, public_id, message):
    found = queryset.filter(public_id=public_id).first() if is_certifier(user) else None
    if found is None:
        raise Http404(message)
    return found


def get_batch_for_user_or_404(user, public_id) -> MailingBatch:
    return _certifier_only(user, MailingBatch.objects.select_related("created_by"), public_id, "Lot introuvable.")


def get_mailing_for_user_or_404(user, public_id) -> Mailing:
    return _certifier_only(
        user, Mailing.objects.select_related("batch", "certificate"), public_id, "Courrier introuvable."
    )


def get_export_for_user_or_404(user, public_id) -> CpfExport:
    return _certifier_only(user, CpfExport.objects.all(), public_id, "Déclaration introuvable.")


def get_closed_session_for_user_or_404(user, public_id) -> JurySession:
    return _certifier_only(
        user, JurySession.objects.visible_to(user).filter(status="closed"), public_id, "Session introuvable."
    )
