"""A candidate's FranceConnect identity: checked against the dossier, then linked to their space.

The birth date must match: it is what stops an invitation link forwarded to someone else from opening the
space to another person. Names, sex and birthplace may be spelled differently (accents, usage name,
an old commune): a difference is recorded for the evaluator, who checks an identity document. What the
dossier leaves blank and FranceConnect knows (the birth commune or country, the usage name) is filled in.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from clea.accounts.external import link
from clea.accounts.models import User
from clea.accounts.oidc import SignedIn
from clea.candidates import services
from clea.candidates.models import IdentityCheck
from clea.dossiers.models import Candidate, Sex
from clea.geography.models import Commune, Country
from clea.geography.names import fold
from clea.lib.errors import RuleViolation

BIRTH_DATE_MISMATCH = (
    "La date de naissance connue de FranceConnect n'est pas celle de votre dossier : votre espace n'a pas été "
    "ouvert. Si votre dossier comporte une erreur, demandez à votre organisme évaluateur de la corriger."
)
FRANCE = "99100"
_GENDERS = {"female": Sex.FEMALE, "male": Sex.MALE}


def compare(candidate: Candidate, claims: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The dossier fields that differ from FranceConnect, and the blank ones it can fill (field -> value)."""
    try:
        birth_date = datetime.date.fromisoformat(str(claims.get("birthdate", "")))
    except ValueError:
        birth_date = None
    if birth_date != candidate.birth_date:
        raise RuleViolation(BIRTH_DATE_MISMATCH)
    differences = []
    if fold(str(claims.get("family_name", ""))) != fold(candidate.birth_name):
        differences.append("birth_name")
    if fold(str(claims.get("given_name", ""))) != fold(candidate.first_names):
        differences.append("first_names")
    gender = _GENDERS.get(str(claims.get("gender", "")))
    if gender is not None and gender != candidate.sex:
        differences.append("sex")
    filled: dict[str, Any] = {}
    birthplace = str(claims.get("birthplace") or "")
    born_in_france = str(claims.get("birthcountry", FRANCE)) == FRANCE
    if born_in_france and birthplace:
        if candidate.birth_commune_id is None:
            commune = Commune.objects.filter(code=birthplace).first()
            if commune is not None:
                filled["birth_commune"] = commune
        elif candidate.birth_commune_id != birthplace:
            differences.append("birth_commune")
    country = str(claims.get("birthcountry") or "")
    if country and not born_in_france:
        if candidate.birth_country_id is None and candidate.birth_commune_id is None:
            found = Country.objects.filter(code=country).first()
            if found is not None:
                filled["birth_country"] = found
        elif candidate.birth_country_id != country:
            differences.append("birth_country")
    usage_name = str(claims.get("preferred_username") or "").strip()
    if usage_name and not candidate.usage_name and fold(usage_name) != fold(candidate.birth_name):
        filled["usage_name"] = usage_name[: Candidate._meta.get_field("usage_name").max_length]
    return differences, filled


def _record(candidate: Candidate, signed_in: SignedIn) -> IdentityCheck:
    differences, filled = compare(candidate, signed_in.claims)
    for field, value in filled.items():
        setattr(candidate, field, value)
    if filled:
        candidate.save()
    return IdentityCheck.objects.create(candidate=candidate, differences=differences, filled=sorted(filled))


@transaction.atomic
def activate(token: str, signed_in: SignedIn) -> User:
    """Open the invited space with FranceConnect instead of a password."""
    invitation = services.find_invitation(token)
    compare(invitation.candidate, signed_in.claims)
    user = services.activate(token, password=None)
    link(user, signed_in)
    _record(invitation.candidate, signed_in)
    return user


@transaction.atomic
def link_space(user: User, signed_in: SignedIn) -> None:
    """A candidate already in their space links FranceConnect for the next times."""
    candidate = user.candidate_account.candidate
    compare(candidate, signed_in.claims)
    link(user, signed_in)
    _record(candidate, signed_in)
