"""Communes as people type them: one key for every spelling, and the answers the directory gives."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.geography.models import Commune
from clea.geography.names import fold
from clea.geography.search import find_communes


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("ST ETIENNE", "saint etienne"),
        ("st-étienne", "saint etienne"),
        ("Ste-Marie-la-Mer", "sainte marie la mer"),
        ("vitre", "vitre"),
        ("VITRÉ", "vitre"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("l’hay les roses", "l hay les roses"),
        ("Marseille 1er Arrondissement", "marseille 1"),
        ("marseille 01", "marseille 1"),
        ("Paris 15e", "paris 15"),
        ("  Œuilly  ", "oeuilly"),
        ("", ""),
    ],
)
def test_every_spelling_gives_the_same_key(typed, key):
    assert fold(typed) == key


@given(st.text(max_size=40))
def test_folding_is_stable_and_plain(text):
    key = fold(text)
    assert fold(key) == key
    assert key == key.strip() and "  " not in key and "-" not in key and "'" not in key


# What the directory finds for what people type (issue 12's examples): the biggest commune first.
ANSWERS = [
    ("vitre", "35360", "Vitré"),
    ("saint malo", "35288", "Saint-Malo"),
    ("ST ETIENNE", "42218", "Saint-Étienne"),
    ("13001", "13055", "Marseille"),
    ("97400", "97411", "Saint-Denis"),
    ("marseille 1er", "13201", "Marseille 1er Arrondissement"),
    ("Saint-Malo (35)", "35288", "Saint-Malo"),
    ("saint denis (974)", "97411", "Saint-Denis"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "code", "name"), ANSWERS)
def test_the_commune_people_mean_comes_first(geography, typed, code, name):
    found = find_communes(typed)
    assert (found[0].code, found[0].name) == (code, name)


@pytest.mark.django_db
def test_a_beginning_finds_the_names_that_start_with_it(geography):
    found = [c.name for c in find_communes("saint mal")]
    assert found[0] == "Saint-Malo" and {"Saint-Malo-de-Phily", "Saint-Malon-sur-Mel"} <= set(found)
    assert find_communes("saint malo")[0].name == "Saint-Malo" and len(find_communes("saint malo")) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["zzzz", "1300", "00000", "()", "paris 99"])
def test_nothing_matches_nonsense(geography, typed):
    assert find_communes(typed) == []


@pytest.mark.django_db
def test_every_loaded_commune_has_its_key(geography):
    assert not Commune.objects.filter(search_name="").exists()
    assert Commune.objects.get(code="42218").search_name == "saint etienne"
