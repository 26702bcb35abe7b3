"""The identity rules, written once: the same French message from the model, the web form and the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from clea.dossiers.identity import (
    BIRTH_PLACE_MISSING,
    IMPLAUSIBLE_BIRTH_DATE,
    birth_date_is_plausible,
    birth_place_is_missing,
    birth_place_is_twice,
    validate_birth_date,
)
from clea.dossiers.models import Candidate
from clea.referrals.models import Referral

TODAY = datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("birth_date", "plausible"),
    [
        (datetime.date(1899, 12, 31), False),
        (datetime.date(1900, 1, 1), True),
        (datetime.date(1990, 5, 17), True),
        (TODAY, True),
        (TODAY + datetime.timedelta(days=1), False),
    ],
)
def test_birth_date_plausibility(birth_date, plausible):
    assert birth_date_is_plausible(birth_date, TODAY) is plausible


@given(st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_a_plausible_birth_date_is_never_in_the_future_nor_before_1900(birth_date):
    assert birth_date_is_plausible(birth_date, TODAY) == (datetime.date(1900, 1, 1) <= birth_date <= TODAY)


@pytest.mark.parametrize(
    ("commune", "country", "missing"),
    [(None, "", True), (None, None, True), ("35238", "", False), ("35238", None, False), (None, "99350", False)],
)
def test_birth_place(commune, country, missing):
    assert birth_place_is_missing(commune, country) is missing


@pytest.mark.parametrize(
    ("commune", "country", "twice"),
    [("35238", "99350", True), ("35238", None, False), (None, "99350", False), (None, None, False)],
)
def test_birth_place_twice(commune, country, twice):
    assert birth_place_is_twice(commune, country) is twice


def test_the_validator_speaks_french():
    with pytest.raises(ValidationError) as raised:
        validate_birth_date(datetime.date(1850, 1, 1))
    assert raised.value.messages == [IMPLAUSIBLE_BIRTH_DATE]


@pytest.mark.parametrize("model", [Candidate, Referral])
def test_models_carry_the_validator_so_forms_and_serializers_inherit_it(model):
    assert validate_birth_date in model._meta.get_field("birth_date").validators


def test_candidate_clean_needs_a_birth_place():
    candidate = Candidate(birth_name="Durand", first_names="Léa", birth_date=datetime.date(1990, 1, 1))
    with pytest.raises(ValidationError) as raised:
        candidate.clean()
    assert raised.value.message_dict == {"birth_country": [BIRTH_PLACE_MISSING]}


def test_the_referral_form_refuses_an_implausible_birth_date_like_the_api(db):
    from clea.referrals.views import ReferralForm

    form = ReferralForm(data={"birth_date": "1850-01-01"}, today=TODAY)
    form.fields["evaluator_organisation"].required = False
    assert not form.is_valid()
    assert form.errors["birth_date"] == [IMPLAUSIBLE_BIRTH_DATE]
