"""API error bodies: business refusals of the services become 400/409 with their French reason.

Every error body has one shape, ``{"detail": message, "field": field or null}``, so that a client shows
``detail`` as it is and points at ``field``:
- ``RuleViolation`` (and its ``Conflict`` subclasses, such as a refused transition) answers with its
  ``status``; a stale grid save also lists what the other person recorded, a duplicate dossier names the
  organisation holding it;
- validation errors (serializer or model) give their first message as ``detail``, its path as ``field``
  (``candidate.birth_date``, ``results[2].judgement``) and every message under ``errors``;
- DRF's own errors (401, 403, 404, 405, 415, 429, parse errors) keep their French ``detail``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
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
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        set_rollback()
        return Response(validation_body(errors), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(response.data)
    return response


def validation_body(errors: Any) -> dict[str, Any]:
    """The first message and where it is, then all of them (``errors`` keeps DRF's nesting)."""
    field, message = _first_error(errors, "")
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
    return {"detail": message or "Données invalides.", "field": field, "errors": errors}


GENERAL = ("non_field_errors", "detail")


def _first_error(errors: Any, path: str) -> tuple[str | None, str]:
    if isinstance(errors, dict):
        for key, value in errors.items():
            found = _first_error(value, path if key in GENERAL else f"{path}.{key}" if path else str(key))
            if found[1]:
                return found
    elif isinstance(errors, list):
        for position, value in enumerate(errors):
            found = _first_error(value, f"{path}[{position}]" if isinstance(value, dict | list) else path)
            if found[1]:
                return found
    elif errors:
        return path or None, str(errors)
    return None, ""


# Schema of the error bodies (documentation only).


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Motif en français, à montrer tel quel.")
    field = serializers.CharField(
        allow_null=True,
        required=False,
        help_text="Champ en cause, s'il y en a un (sinon null) : `candidate.birth_date`, `results[2].judgement`.",
    )
    errors = serializers.DictField(
        required=False,
        help_text="Données invalides (400) : tous les messages, par champ, avec l'imbrication des données envoyées.",
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
