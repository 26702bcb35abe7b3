"""The dossier page leads: one next step per situation, the irreversible actions apart."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clea.dossiers.next_step import Facts, plan
from clea.dossiers.workflow import ALLOWED, Action, State
from tests.dossiers.builders import dossier_awaiting_jury, dossier_in_training, open_dossier

A = Action


def allowed_in(state: State) -> frozenset[Action]:
    return frozenset(a for a, states in ALLOWED.items() if state in states)


# (situation, facts, next step, irreversible actions offered)
CASES = [
    (
        "opened, no meeting yet",
        Facts(State.INFORMATION, allowed_in(State.INFORMATION)),
        "record_meeting",
        ("withdraw",),
    ),
    (
        "meeting held",
        Facts(State.INFORMATION, allowed_in(State.INFORMATION), meetings=1),
        "start_initial",
        ("withdraw",),
    ),
    (
        "préalable under way",
        Facts(State.INITIAL_ASSESSMENT, allowed_in(State.INITIAL_ASSESSMENT), open_evaluation="initial", meetings=1),
        "continue_initial",
        ("withdraw",),
    ),
    (
        "gaps found, no path yet",
        Facts(State.TRAINING, allowed_in(State.TRAINING), has_results=True),
        "propose_training",
        ("close", "withdraw"),
    ),
    (
        "in training",
        Facts(State.TRAINING, allowed_in(State.TRAINING), paths=1, has_results=True),
        "start_final",
        ("close", "withdraw"),
    ),
    (
        "finale left gaps: a new path",
        Facts(State.TRAINING, allowed_in(State.TRAINING), paths=1, closed_finals=1, has_results=True),
        "propose_training",
        ("close", "withdraw"),
    ),
    (
        "finale under way",
        Facts(State.FINAL_ASSESSMENT, allowed_in(State.FINAL_ASSESSMENT), open_evaluation="final", paths=1),
        "continue_final",
        ("close", "withdraw"),
    ),
    (
        "all acquired",
        Facts(State.READY_FOR_JURY, allowed_in(State.READY_FOR_JURY), has_results=True),
        "submit_to_jury",
        ("withdraw",),
    ),
    ("at the jury", Facts(State.AWAITING_JURY, allowed_in(State.AWAITING_JURY), has_results=True), None, ()),
    ("certified", Facts(State.CERTIFIED, allowed_in(State.CERTIFIED), has_results=True, certified=True), None, ()),
    ("withdrawn", Facts(State.WITHDRAWN, allowed_in(State.WITHDRAWN)), None, ()),
]


@pytest.mark.parametrize(("situation", "facts", "primary", "irreversible"), CASES, ids=[c[0] for c in CASES])
def test_one_next_step_per_situation(situation, facts, primary, irreversible):
    chosen = plan(facts)
    assert chosen.primary == primary
    assert chosen.irreversible == irreversible


def test_a_path_once_proposed_is_no_longer_offered():
    in_training = plan(Facts(State.TRAINING, allowed_in(State.TRAINING), paths=1))
    assert "propose_training" not in (in_training.primary, *in_training.others)


@given(
    state=st.sampled_from(list(State)),
    open_evaluation=st.sampled_from(["", "initial", "final"]),
    meetings=st.integers(0, 2),
    paths=st.integers(0, 3),
    closed_finals=st.integers(0, 3),
    flags=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_never_the_same_action_twice_and_never_a_stop_as_next_step(
    state, open_evaluation, meetings, paths, closed_finals, flags
):
    facts = Facts(state, allowed_in(state), open_evaluation, meetings, paths, closed_finals, *flags)
    chosen = plan(facts)
    keys = [k for k in (chosen.primary, *chosen.others, *chosen.irreversible) if k]
    assert len(keys) == len(set(keys))
    assert chosen.primary not in {"close", "withdraw"}
    assert set(chosen.irreversible) <= {"close", "withdraw"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "label"),
    [
        (lambda s: open_dossier(s), "Noter la réunion d'information"),
        (lambda s: dossier_in_training(s)[0], "Proposer un parcours de formation"),
        (dossier_awaiting_jury, None),
    ],
    ids=["just-opened", "gaps-found", "at-the-jury"],
)
def test_the_page_shows_one_primary_button(client, path_setting, build, label):
    dossier = build(path_setting)
    client.force_login(path_setting["evaluator"])
    html = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()
    assert html.count('id="prochaine-etape"') == (1 if label else 0)
    if label:
        primary = html[html.index('id="prochaine-etape"') :]
        assert primary[primary.index(">") + 1 :].startswith(label.replace("'", "&#x27;"))
    else:
        assert "attend une session de jury" in html
