"""The address block of the window envelope (NF Z10-011 style), table-driven (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.certificates.postal import MAX_CHARS, MAX_LINES, PostalAddress, address_lines, last_line, recipient_line
from clea.lib.errors import RuleViolation


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            PostalAddress("Madame Léa DURAND", "3 rue des Lilas", "35000", "Rennes"),
            ["Madame Léa DURAND", "3 RUE DES LILAS", "35000 RENNES"],
        ),
        (
            PostalAddress("Madame Léa DURAND", "3, rue des Lilas.", "35000", "Rennes", complement="Appt 12, bât. B"),
            ["Madame Léa DURAND", "APPT 12 BÂT B", "3 RUE DES LILAS", "35000 RENNES"],
        ),
        (
            PostalAddress("Monsieur Yann LE GOFF", "12 rue de l'Église", "35400", "Saint-Malo"),
            ["Monsieur Yann LE GOFF", "12 RUE DE L'ÉGLISE", "35400 SAINT MALO"],
        ),
        (
            PostalAddress("Madame Inès MARTIN", "5 avenue Foch", "94240", "L'Haÿ-les-Roses"),
            ["Madame Inès MARTIN", "5 AVENUE FOCH", "94240 L HAY LES ROSES"],
        ),
        (
            PostalAddress("Madame Inès MARTIN", "5 avenue Foch", "27000", "Évreux"),
            ["Madame Inès MARTIN", "5 AVENUE FOCH", "27000 EVREUX"],
        ),
        (
            PostalAddress("Monsieur Paul DUPONT", "", "29690", "Berrien", locality="Lieu-dit Kerbernez"),
            ["Monsieur Paul DUPONT", "LIEU-DIT KERBERNEZ", "29690 BERRIEN"],
        ),
        (
            PostalAddress("M. Paul   DUPONT", "  8   place   du   Marché  ", "75015", "Paris"),
            ["M. Paul DUPONT", "8 PLACE DU MARCHÉ", "75015 PARIS"],
        ),
        (
            # Too long: La Poste's abbreviations, the latest word first.
            PostalAddress("Madame Léa DURAND", "12 boulevard du Maréchal de Lattre de Tassigny", "35000", "Rennes"),
            ["Madame Léa DURAND", "12 BD DU MAL DE LATTRE DE TASSIGNY", "35000 RENNES"],
        ),
        (
            PostalAddress("Madame Léa DURAND", "1 rue X", "51290", "Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson"),
            ["Madame Léa DURAND", "1 RUE X", "51290 ST REMY EN BOUZEMONT ST GENEST"],
        ),
        (
            PostalAddress("Société X", "1 rue X", "35043", "Rennes", cedex="Cedex 9"),
            ["Société X", "1 RUE X", "35043 RENNES CEDEX 9"],
        ),
    ],
)
def test_address_block(address, expected):
    assert address_lines(address) == expected


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (PostalAddress("Léa DURAND", "3 rue des Lilas", "3500", "Rennes"), "Code postal invalide"),
        (PostalAddress("Léa DURAND", "3 rue des Lilas", "35A00", "Rennes"), "Code postal invalide"),
        (PostalAddress("Léa DURAND", "3 rue des Lilas", "35000", "  "), "commune"),
        (PostalAddress("", "3 rue des Lilas", "35000", "Rennes"), "destinataire"),
        (PostalAddress("Léa DURAND", "", "35000", "Rennes"), "voie"),
        (PostalAddress("Léa DURAND", "3 rue " + "X" * 40, "35000", "Rennes"), "trop longue"),
        (
            PostalAddress(
                "Léa DURAND",
                "3 rue des Lilas de la Grande Prairie du Bois Joli",
                "35000",
                "Rennes",
                complement="Résidence des Grands Chênes du Bois Joli escalier C étage 4 porte 12",
                locality="Lieu-dit La Haute Forêt",
            ),
            "6 au plus",
        ),
    ],
)
def test_address_refused_with_reason(address, message):
    with pytest.raises(RuleViolation, match=message):
        address_lines(address)


@pytest.mark.parametrize(
    ("civility", "first_names", "last_name", "expected"),
    [
        ("Madame", "Léa Marie", "Durand", "Madame Léa DURAND"),
        ("Monsieur", "Jean-Baptiste", "de La Tour d'Auvergne", "Jean-Baptiste DE LA TOUR D'AUVERGNE"),
        ("Monsieur", "Jean-Baptiste", "de La Tour d'Auvergne-Lauraguais", "J DE LA TOUR D'AUVERGNE-LAURAGUAIS"),
        ("", "Léa", "Durand", "Léa DURAND"),
    ],
)
def test_recipient_line(civility, first_names, last_name, expected):
    assert recipient_line(civility, first_names, last_name) == expected
    assert len(expected) <= MAX_CHARS


@pytest.mark.parametrize(
    ("postcode", "town", "expected"),
    [
        ("35000", "Rennes", "35000 RENNES"),
        (" 35000 ", "rennes", "35000 RENNES"),
        ("97400", "Saint-Denis", "97400 SAINT DENIS"),
        ("20000", "Ajaccio", "20000 AJACCIO"),
        ("13001", "Marseille", "13001 MARSEILLE"),
    ],
)
def test_last_line_has_no_accent_nor_punctuation(postcode, town, expected):
    assert last_line(postcode, town) == expected


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçôÉ-' ", min_size=1, max_size=45)


@given(name=words, street=words, complement=st.one_of(st.just(""), words), town=words)
def test_any_accepted_block_fits_the_window(name, street, complement, town):
    address = PostalAddress(name, street, "35000", town, complement=complement)
    try:
        lines = address_lines(address)
    except RuleViolation:
        return
    assert 2 <= len(lines) <= MAX_LINES
    assert all(0 < len(line) <= MAX_CHARS for line in lines)
    last = lines[-1]
    assert last.startswith("35000 ")
    assert last == last.upper()
    assert all((c.isalnum() and c.isascii()) or c == " " for c in last)
