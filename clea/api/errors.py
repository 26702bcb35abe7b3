"""API error bodies: business refusals of the services become 400/409 with their French reason.

``RuleViolation`` (and its ``Conflict`` subclasses, such as a refused transition) answers with its
``status`` and ``{"detail": message, "field": field or null}``; a stale grid save also lists what the
other person recorded, a duplicate dossier names the organisation holding it. Everything else goes
through DRF's handler (validation errors stay field errors, ``Http404`` stays a 404 with its message).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from clea.dossiers.services import DuplicateDossier
from clea.evaluations.services import StaleGrid
from clea.lib.errors import RuleViolation


def exception_handler(exc, context):
    if isinstance(exc, RuleViolation):
        body: dict = {"detail": exc.message, "field": exc.field}
        if isinstance(exc, StaleGrid):
            body["stale"] = [
                {
                    "criterion": entry.criterion_code,
                    "judgement": entry.judgement,
                    "comment": entry.comment,
                    "revision": entry.revision or None,
                    "by": entry.by,
                    "at": serializers.DateTimeField().to_representation(entry.at) if entry.at else None,
                }
                for entry in exc.stale
            ]
        if isinstance(exc, DuplicateDossier):
            body["existing_organisation"] = exc.existing.evaluator_organisation.name
        set_rollback()
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() inside a service: same shape as a serializer's field errors.
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": " ".join(exc.messages)}
        set_rollback()
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


# Schema of the error bodies (documentation only).


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Motif en français, à montrer tel quel.")
    field = serializers.CharField(
        allow_null=True, required=False, help_text="Champ en cause, s'il y en a un (sinon null)."
    )


class StaleEntrySerializer(serializers.Serializer):
    criterion = serializers.CharField(help_text="Code du critère modifié entre-temps.")
    judgement = serializers.CharField(help_text="Résultat enregistré par l'autre personne.")
    comment = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True, help_text="Révision à renvoyer après vérification.")
    by = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)


class StaleGridErrorSerializer(ErrorSerializer):
    stale = StaleEntrySerializer(many=True, required=False, help_text="Présent quand la grille a changé entre-temps.")


class DuplicateErrorSerializer(ErrorSerializer):
    existing_organisation = serializers.CharField(
        required=False, help_text="Organisme qui suit déjà le dossier ouvert de cette personne (doublon)."
    )
