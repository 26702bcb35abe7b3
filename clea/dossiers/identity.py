"""What a person's civil identity must satisfy, written once for the model, the forms and the API.

The date checks are pure (``today`` passed in); ``validate_birth_date`` is the Django validator that the
model fields carry, so a ``ModelForm``/``ModelSerializer`` gets it for free and plain fields name it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

IMPLAUSIBLE_BIRTH_DATE = "Cette date de naissance n'est pas plausible."
BIRTH_PLACE_MISSING = "Indiquez la commune de naissance ou, si la personne est née hors de France, le pays."
EARLIEST_BIRTH_YEAR = 1900


def birth_date_is_plausible(birth_date: datetime.date, today: datetime.date) -> bool:
    return birth_date.year >= EARLIEST_BIRTH_YEAR and birth_date <= today


BIRTH_PLACE_TWICE = "Indiquez la commune de naissance (née en France) ou le pays de naissance, pas les deux."


def birth_place_is_missing(commune: object, country: object) -> bool:
    """The CPF reporting needs the commune of birth in France, else the country (docs/rules.md rule 18)."""
    return not commune and not country


def birth_place_is_twice(commune: object, country: object) -> bool:
    """A commune of France and a foreign country cannot both be the place of birth."""
    return bool(commune) and bool(country)


def validate_birth_date(value: datetime.date) -> None:
    if not birth_date_is_plausible(value, timezone.localdate()):
        raise ValidationError(IMPLAUSIBLE_BIRTH_DATE, code="implausible")
