"""The candidate space speaks plainly at every step: a text for each state, short sentences, no step
announced that is already past, and every domain named in everyday words."""

import json
import re
from pathlib import Path

import pytest

from clea.dossiers.workflow import State
from clea.evaluations.plain import EXPLAINED, FINAL_AHEAD, PLAIN_DOMAINS, STEP_TEXT, plain_domain

MAX_WORDS = 16  # per sentence: what a weak reader follows
DATA = Path(__file__).resolve().parents[2] / "clea" / "referentiel" / "data"


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


@pytest.mark.parametrize("state", list(State), ids=[s.value for s in State])
def test_every_state_says_where_the_person_is(state):
    text = STEP_TEXT[state]
    assert all(len(s.split()) <= MAX_WORDS for s in sentences(text)), text
    if state not in FINAL_AHEAD:
        assert "passerez l'évaluation finale" not in text and "pour passer" not in text


# (state, what the person must read there)
TABLE = [
    (State.INFORMATION, "évaluation préalable"),
    (State.TRAINING, "formation"),
    (State.FINAL_ASSESSMENT, "évaluation finale"),
    (State.AWAITING_JURY, "jury"),
    (State.CERTIFIED, "certificat"),
    (State.NOT_CERTIFIED, "attestation"),
    (State.EXPIRED, "5 ans"),
]


@pytest.mark.parametrize(("state", "words"), TABLE, ids=[s.value for s, _ in TABLE])
def test_the_step_text_names_what_matters_then(state, words):
    assert words in STEP_TEXT[state]


@pytest.mark.parametrize("name", ["clea.json", "clea-numerique.json"])
def test_every_domain_has_an_everyday_name(name):
    data = json.loads((DATA / name).read_text())
    code = data.get("certification", {}).get("code") if isinstance(data.get("certification"), dict) else None
    code = code or ("CLEA_NUMERIQUE" if "numerique" in name else "CLEA")
    for domain in data["domains"]:
        plain = plain_domain(code, domain["code"], domain["title"])
        assert plain != domain["title"] and len(plain.split()) <= 10
    assert set(PLAIN_DOMAINS[code]) == {str(d["code"]) for d in data["domains"]}


def test_the_words_people_stumble_on_are_explained():
    assert set(EXPLAINED) == {"domaine", "habilité"}
    assert all(len(s.split()) <= MAX_WORDS for text in EXPLAINED.values() for s in sentences(text))
