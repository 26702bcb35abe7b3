"""The OpenAPI schema says every answer an operation can give: the error answers are added here once.

drf-spectacular documents what each view declares; the answers that come from the platform rather than
the view (authentication, throttling, malformed input, oversized bodies, unknown pages of a list) are the
same for every operation, with the one error body of ``clea.api.errors``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension

ERROR_REF = {"$ref": "#/components/schemas/Error"}
METHODS = ("get", "put", "post", "patch", "delete")

# Every operation: the request may be malformed (400), the object invisible or the page out of range
# (404), the client too hasty (429).
ALWAYS = {
    "400": "Requête invalide : le motif est dans `detail`, le champ en cause dans `field`.",
    "404": "Introuvable, ou hors de votre périmètre (ou page de liste inexistante).",
    "429": "Trop de requêtes : réessayez après le délai indiqué par `Retry-After`.",
}
# Operations behind an account (open ones read no credentials at all): the client unknown (401), not
# allowed (403).
AUTHENTICATED = {
    "401": "Authentification requise : jeton absent ou invalide.",
    "403": "Action non permise pour ce compte.",
}
# Operations that change something: the object's state may forbid it (409: closed dossier, stale grid...).
CHANGING = {"409": "Refusé dans l'état actuel de l'objet (dossier clôturé, saisie périmée...) : voir `detail`."}
# Operations that take a body: it may be too large (413) or of a type the API does not read (415).
WITH_BODY = {
    "413": "Corps de requête trop volumineux.",
    "415": "Type de contenu non pris en charge.",
}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the platform's error answers the view did not declare."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            answers = {**ALWAYS, **(CHANGING if method != "get" else {})}
            answers |= AUTHENTICATED if operation.get("security") else {}
            answers |= WITH_BODY if "requestBody" in operation else {}
            for status, description in answers.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
                )
    return result


class CodeFieldExtension(OpenApiSerializerFieldExtension):
    """A code (INSEE, certification) is a bounded string: its model field's length."""

    target_class = "clea.api.base.CodeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "maxLength": self.target.code_length()}
        if self.target.help_text:
            schema["description"] = str(self.target.help_text)
        return schema


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The platform's tokens, sent as ``Authorization: Token clea_…``."""

    target_class = "clea.api.authentication.ApiTokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "« Token clea_… » : un jeton nommé, pour une organisation, en lecture seule ou en lecture et "
                "écriture, avec une date d'expiration ; créé et révoqué depuis « Mon compte »."
            ),
        }
