"""Fetch one dossier-scoped object for a request: invisible means 404."""

from django.http import Http404

from clea.dossiers.models import Dossier, TransferRequest


def get_dossier_for_user_or_404(user, public_id) -> Dossier:
    dossier = (
        Dossier.objects.visible_to(user)
        .select_related(
            "candidate__commune",
            "certification",
            "referentiel_version__profile",
            "evaluator_organisation",
            "evaluator",
            "employer",
            "prescriber",
        )
        .filter(public_id=public_id)
        .first()
    )
    if dossier is None:
        raise Http404("Dossier introuvable.")
    return dossier


def get_evaluation_or_404(dossier: Dossier, public_id):
    evaluation = (
        dossier.evaluations.select_related("evaluator", "referentiel_version__profile")
        .filter(public_id=public_id)
        .first()
    )
    if evaluation is None:
        raise Http404("Évaluation introuvable.")
    return evaluation


def get_training_path_or_404(dossier: Dossier, public_id):
    path = dossier.training_paths.select_related("training_organisation", "trainer").filter(public_id=public_id).first()
    if path is None:
        raise Http404("Parcours introuvable.")
    return path


def get_incoming_transfer_or_404(dossier: Dossier, public_id) -> TransferRequest:
    transfer = dossier.transfer_requests.select_related("to_organisation").filter(public_id=public_id).first()
    if transfer is None:
        raise Http404("Demande de transfert introuvable.")
    return transfer
