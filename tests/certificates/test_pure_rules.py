"""Pure helpers: numbers, verification codes, masked names (no database)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.certificates import codes
from clea.certificates.masking import mask_name
from clea.certificates.numbering import CertificateNumber, format_number, parse_number, prefix_for


@pytest.mark.parametrize(
    ("code", "year", "sequence", "expected"),
    [
        ("CLEA", 2026, 123, "CLEA-2026-000123"),
        ("CLEA", 2026, 1, "CLEA-2026-000001"),
        ("CLEA_NUMERIQUE", 2027, 42, "CLEA-NUMERIQUE-2027-000042"),
        ("clea", 2026, 999_999, "CLEA-2026-999999"),
        ("CLEA", 2026, 1_000_000, "CLEA-2026-1000000"),
    ],
)
def test_format_number(code, year, sequence, expected):
    assert format_number(code, year, sequence) == expected
    assert parse_number(expected) == CertificateNumber(prefix_for(code), year, sequence)


@pytest.mark.parametrize(
    "text", ["", "CLEA-26-000001", "CLEA-2026-12", "2026-000001", "CLEA 2026 000001", "CLEA-2026-00001A"]
)
def test_parse_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError, match="n'est pas un numéro"):
        parse_number(text)


@pytest.mark.parametrize(("year", "sequence"), [(999, 1), (2026, 0), (2026, -3)])
def test_format_refuses_impossible_parts(year, sequence):
    with pytest.raises(ValueError):
        format_number("CLEA", year, sequence)


@given(
    code=st.sampled_from(["CLEA", "CLEA_NUMERIQUE", "CLEA_MANAGEMENT"]),
    year=st.integers(1000, 9999),
    sequence=st.integers(1, 10**9),
)
def test_number_round_trip_and_order(code, year, sequence):
    number = format_number(code, year, sequence)
    assert parse_number(number).sequence == sequence
    # Within a certification and year, the text order is the sequence order up to 999 999.
    if sequence < 999_999:
        assert format_number(code, year, sequence) < format_number(code, year, sequence + 1)


def test_verification_codes_are_long_random_and_unambiguous():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    for code in drawn:
        assert len(code) >= 20
        assert codes.is_well_formed(code)
        assert not set(code) & set("O0I1LU")
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) > 90  # bits: cannot be guessed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn-pqrs-tvwx", "ABCDEFGHJKMNPQRSTVWX"),
        (" ABCD EFGH JKMN PQRS TVWX ", "ABCDEFGHJKMNPQRSTVWX"),
        ("ABCDEFGHJKMNPQRSTVWX", "ABCDEFGHJKMNPQRSTVWX"),
    ],
)
def test_codes_are_typed_any_way(typed, expected):
    assert codes.normalise(typed) == expected
    assert codes.display(expected) == "ABCD-EFGH-JKMN-PQRS-TVWX"


def test_code_input_is_cut():
    assert len(codes.normalise("A" * 10_000)) == codes.MAX_INPUT
    assert not codes.is_well_formed("ABCDEFGHJKMNPQRSTVW0")


@pytest.mark.parametrize(
    ("first_names", "last_name", "expected"),
    [
        ("Léa", "Durand", "Léa D."),
        ("Léa Marie", "Durand", "Léa D."),
        ("Jean-Pierre", "Le Goff", "Jean-Pierre L."),
        ("Zoé", "de La Fontaine", "Zoé D."),
        ("Ana", "'t Hooft", "Ana T."),
        ("Ana", "", "Ana"),
        ("", "Durand", "D."),
        ("  Léa  ", " durand ", "Léa D."),
    ],
)
def test_mask_name(first_names, last_name, expected):
    assert mask_name(first_names, last_name) == expected
