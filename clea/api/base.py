"""What every API module shares: the base view, French 403/400 helpers, public-id fields, reference shapes.

A resource module (one per resource) parses with a serializer, fetches through the owning app's
``get_<thing>_for_user_or_404`` (invisible means 404), checks the app's ``can_*`` predicate (403) and calls
the service; refusals become 400/409 with their French reason in ``clea.api.errors``.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny

from clea.accounts.models import User
from clea.api.errors import ErrorSerializer
from clea.dossiers.models import Dossier
from clea.dossiers.permissions import can_open_dossier, can_work_on_dossier
from clea.geography.models import Commune, Country
from clea.lib.errors import RuleViolation
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification

ERRORS = {c: ErrorSerializer for c in (400, 403, 404, 409)}


def today():
    return timezone.localdate()


def require(allowed: bool, message: str) -> None:
    """403 with a French reason when the predicate says no (the object itself is visible)."""
    if not allowed:
        raise PermissionDenied(message)


NOT_YOUR_DOSSIER = "Seuls les évaluateurs et administrateurs de l'organisme qui suit ce dossier peuvent le modifier."


def require_work_on(user, dossier: Dossier) -> None:
    require(can_work_on_dossier(user, dossier), NOT_YOUR_DOSSIER)


def bad_request(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "example": "09:00"}
)
class ClockTimeField(serializers.TimeField):
    """A time of day as people write it, HH:MM (HH:MM:SS is read too). OpenAPI's ``format: time`` is
    RFC 3339's, with seconds and a UTC offset: not what a sitting's start is, hence the pattern."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class PublicIdField(serializers.SlugRelatedField):
    """An object named by its public UUID; an unknown or malformed id is a field error."""

    default_error_messages = {
        "does_not_exist": "Aucun élément ne correspond à l'identifiant {value}.",
        "invalid": "Identifiant invalide : un UUID est attendu.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


def user_field(**kwargs) -> PublicIdField:
    return PublicIdField(queryset=User.objects.filter(is_active=True), **kwargs)


def organisation_field(**kwargs) -> PublicIdField:
    return PublicIdField(queryset=Organisation.objects.filter(is_active=True), **kwargs)


class CodeField(serializers.SlugRelatedField):
    """An object named by its code (INSEE, certification): at most as long as the model's code, in the
    schema too (clea.api.schema.CodeFieldExtension)."""

    def code_length(self) -> int:
        return self.get_queryset().model._meta.get_field(self.slug_field).max_length

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and len(data) > self.code_length():
            self.fail("invalid")
        return super().to_internal_value(data)


class CommuneField(CodeField):
    default_error_messages = {
        "does_not_exist": "Aucune commune n'a le code INSEE {value}.",
        "invalid": "Code INSEE invalide.",
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Commune.objects.all(), **kwargs)


class CountryField(CodeField):
    default_error_messages = {
        "does_not_exist": "Aucun pays n'a le code INSEE {value} (codes 99XXX de l'INSEE).",
        "invalid": "Code INSEE de pays invalide.",
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Country.objects.all(), **kwargs)


class CertificationField(CodeField):
    default_error_messages = {"does_not_exist": "Certification inconnue : {value}.", "invalid": "Code invalide."}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Code de la certification (CLEA, CLEA_NUMERIQUE).")
        super().__init__(slug_field="code", queryset=Certification.objects.all(), **kwargs)


def acting_organisation(request, chosen: Organisation | None) -> Organisation:
    """The evaluator organisation the user acts for: the one named in the request, else the current one."""
    organisation = chosen if chosen is not None else request.current.organisation
    if chosen is not None and chosen.pk not in {o.pk for o in request.current.organisations}:
        raise PermissionDenied("Vous n'agissez pas pour cet organisme.")
    require(
        can_open_dossier(request.user, organisation),
        "Seuls les évaluateurs et administrateurs d'un organisme évaluateur peuvent faire cela.",
    )
    return organisation


class PersonSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="__str__")


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class CommuneRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE.")
    name = serializers.CharField()


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE du pays (99XXX).")
    name = serializers.CharField()


UNREADABLE_JSON = "Corps de requête illisible : un document JSON valide (UTF-8) est attendu."
FORBIDDEN_TEXT = "Caractère nul ou invalide refusé dans le texte envoyé : retirez-le, puis réessayez."


def _clean_text(value: Any) -> bool:
    """No NUL byte (the database refuses it) and no lone surrogate (not encodable as UTF-8), at any depth."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_clean_text(k) and _clean_text(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_clean_text(v) for v in value)
    return True


class StrictJSONParser(JSONParser):
    """JSON in, with French errors; text that the database cannot store is refused here, once for all."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise ParseError(UNREADABLE_JSON) from exc
        if not _clean_text(data):
            raise ParseError(FORBIDDEN_TEXT)
        return data


class ApiView(GenericAPIView):
    """JSON in, JSON out (nested objects do not travel as form data)."""

    parser_classes = [StrictJSONParser]


class PublicApiView(ApiView):
    """No account, no session, no CSRF: the directory is the same for everyone."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    filter_backends: list = []


def refuse(field: str, message: str) -> NoReturn:
    raise RuleViolation(message, field=field)
