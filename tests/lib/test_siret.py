"""SIRET check: 14 digits, Luhn key, La Poste's own rule."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clea.lib.siret import LA_POSTE_SIREN, luhn_valid, normalise_siret, siret_error, with_check_digit

LENGTH = "Le SIRET doit comporter exactement 14 chiffres."
KEY = "Ce SIRET n'est pas valide (clé de contrôle incorrecte)."


def la_poste_sirets(valid: bool) -> list[str]:
    """La Poste establishments: SIREN 356000000, valid when the digit sum is divisible by 5."""
    found = []
    for nic in range(100):
        siret = f"{LA_POSTE_SIREN}{nic:05d}"
        if (sum(int(c) for c in siret) % 5 == 0) is valid:
            found.append(siret)
    return found


@pytest.mark.parametrize(
    "first_13",
    ["7328293200007", "1234567890123", "0000000000000", "9999999999999", "4423456780001"],
)
def test_with_check_digit_gives_a_valid_siret(first_13):
    siret = with_check_digit(first_13)
    assert len(siret) == 14
    assert siret.startswith(first_13)
    assert siret_error(siret) is None


def test_known_values():
    assert with_check_digit("7328293200007") == "73282932000074"
    assert with_check_digit("0000000000000") == "00000000000000"
    assert with_check_digit("1234567890123") == "12345678901237"
    assert luhn_valid("73282932000074") is True
    assert luhn_valid("73282932000075") is False


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("7328293200007", id="13-digits"),
        pytest.param("732829320000740", id="15-digits"),
        pytest.param("7328293200007A", id="letter"),
        pytest.param("73282932O00074", id="letter-o-for-zero"),
        pytest.param("732-829-320-00074", id="dashes"),
        pytest.param("-7328293200007", id="minus-sign"),
        pytest.param("7328.2932000074", id="dot"),
    ],
)
def test_wrong_length_or_not_digits(raw):
    assert siret_error(raw) == LENGTH


@pytest.mark.parametrize(
    "siret",
    [
        pytest.param("73282932000075", id="last-digit-off-by-one"),
        pytest.param("73282932000047", id="last-two-swapped"),
        pytest.param("83282932000074", id="first-digit-changed"),
        pytest.param("12345678901234", id="sequence"),
    ],
)
def test_wrong_key(siret):
    assert siret_error(siret) == KEY


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("732 829 320 00074", id="spaces"),
        pytest.param(" 73282932000074 ", id="surrounding"),
        pytest.param("732\u00a0829\u00a0320\u00a000074", id="non-breaking-spaces"),
        pytest.param("732829320\t00074\n", id="tab-and-newline"),
    ],
)
def test_spaces_are_normalised(raw):
    assert normalise_siret(raw) == "73282932000074"
    assert siret_error(raw) is None


def test_la_poste_valid_when_digit_sum_divisible_by_5():
    valid = la_poste_sirets(valid=True)
    assert valid[:3] == ["35600000000001", "35600000000006", "35600000000010"]
    for siret in valid:
        assert siret_error(siret) is None, siret
    # The first one is not a Luhn number: only La Poste's rule makes it valid.
    assert luhn_valid("35600000000001") is False


def test_la_poste_invalid_when_digit_sum_not_divisible_by_5_even_if_luhn_valid():
    invalid = la_poste_sirets(valid=False)
    assert len(invalid) == 80
    for siret in invalid:
        assert siret_error(siret) == KEY, siret
    luhn_but_not_la_poste = [s for s in invalid if luhn_valid(s)]
    assert "35600000000014" in luhn_but_not_la_poste
    assert siret_error("356 000 000 00014") == KEY


def test_la_poste_rule_only_applies_to_its_siren():
    # Same digit sum rule would accept this one, Luhn refuses it.
    assert siret_error("35600000100001") == KEY


def test_with_check_digit_is_valid_for_la_poste_too():
    siret = with_check_digit("3560000000001")
    assert siret_error(siret) is None


def test_superscript_digit_is_refused_not_crashing():
    assert siret_error("7328293200007²") == LENGTH


def test_full_width_digits_are_refused():
    assert siret_error("７３２８２９３２００００７４") == LENGTH


thirteen_digits = st.text(alphabet="0123456789", min_size=13, max_size=13)


@settings(max_examples=200, deadline=None)
@given(first_13=thirteen_digits, position=st.integers(0, 13), delta=st.integers(1, 9))
def test_check_digit_property(first_13, position, delta):
    assume(not first_13.startswith(LA_POSTE_SIREN))
    siret = with_check_digit(first_13)
    assert siret_error(siret) is None
    assert siret[:13] == first_13
    mutated_digit = str((int(siret[position]) + delta) % 10)
    mutated = siret[:position] + mutated_digit + siret[position + 1 :]
    assume(not mutated.startswith(LA_POSTE_SIREN))
    assert mutated != siret
    assert siret_error(mutated) == KEY
