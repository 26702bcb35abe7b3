"""The dossier's transition table (clea/dossiers/workflow.py), written out again by hand: every state ×
every action, allowed (x) or refused (.). A state or an action added to the workflow without a line or a
column here fails ``test_the_table_covers_every_state_and_action``."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clea.dossiers.workflow import OPEN_STATES, REFUSALS, STATE_LABELS, Action, State, TransitionRefused, allows, check
from clea.lib.errors import Conflict

COLUMNS = {
    "meet": Action.RECORD_MEETING,
    "init": Action.START_INITIAL,
    "cl-i": Action.CLOSE_INITIAL,
    "path": Action.PROPOSE_TRAINING,
    "fin": Action.START_FINAL,
    "cl-f": Action.CLOSE_FINAL,
    "subm": Action.SUBMIT_TO_JURY,
    "wdr": Action.WITHDRAW,
    "clos": Action.CLOSE,
    "exp": Action.EXPIRE,
    "trsf": Action.TRANSFER,
    "sess": Action.PUT_ON_SESSION,
    "dec": Action.DECIDE,
}
TABLE = """
                    meet init cl-i path fin  cl-f subm wdr  clos exp  trsf sess dec
information         x    x    .    .    .    .    .    x    .    .    x    .    .
initial_assessment  .    .    x    .    .    .    .    x    .    .    x    .    .
training            .    .    .    x    x    .    .    x    x    x    x    .    .
final_assessment    .    .    .    .    .    x    .    x    x    x    x    .    .
ready_for_jury      .    .    .    .    .    .    x    x    .    .    x    .    .
awaiting_jury       .    .    .    .    .    .    .    .    .    .    .    x    .
at_jury             .    .    .    .    .    .    .    .    .    .    .    .    x
adjourned           .    .    .    .    .    .    .    .    .    .    .    x    .
certified           .    .    .    .    .    .    .    .    .    .    .    .    .
not_certified       .    .    .    .    .    .    .    .    .    .    .    .    .
withdrawn           .    .    .    .    .    .    .    .    .    .    .    .    .
closed              .    .    .    .    .    .    .    .    .    .    .    .    .
expired             .    .    .    .    .    .    .    .    .    .    .    .    .
"""


def _read(table: str) -> dict[tuple[State, Action], bool]:
    header, *lines = table.strip().splitlines()
    actions = [COLUMNS[c] for c in header.split()]
    cells = {}
    for line in lines:
        state, *marks = line.split()
        assert len(marks) == len(actions), state
        cells.update({(State(state), a): m == "x" for a, m in zip(actions, marks, strict=True)})
    return cells


EXPECTED = _read(TABLE)


def test_the_table_covers_every_state_and_action():
    assert {s for s, _ in EXPECTED} == set(State)
    assert {a for _, a in EXPECTED} == set(Action) == set(COLUMNS.values())


@pytest.mark.parametrize(("state", "action"), sorted(EXPECTED), ids=lambda v: str(v))
def test_each_state_and_action(state, action):
    assert allows(state, action) is EXPECTED[state, action]
    if EXPECTED[state, action]:
        check(state, action)  # no refusal
    else:
        with pytest.raises(TransitionRefused) as refused:
            check(state, action)
        message = str(refused.value)
        assert message.startswith(REFUSALS[action]) and f"(état actuel : {STATE_LABELS[state]}.)" in message
        assert refused.value.status == 409


@given(st.sampled_from(list(State)), st.sampled_from(list(Action)))
def test_check_refuses_exactly_what_allows_refuses(state, action):
    """Whichever pair, with the state as the enum or as the value stored in the database."""
    for given_state in (state, state.value):
        try:
            check(given_state, action)
        except Conflict as refused:
            assert isinstance(refused, TransitionRefused) and not allows(given_state, action)
        else:
            assert allows(given_state, action)


@given(st.sampled_from(sorted(set(State) - OPEN_STATES)), st.sampled_from(list(Action)))
def test_a_dossier_that_is_no_longer_open_allows_nothing(state, action):
    assert not allows(state, action)


@given(st.sampled_from(list(Action)))
def test_every_action_is_allowed_somewhere_and_explained(action):
    assert any(allows(state, action) for state in State)
    assert REFUSALS[action].endswith(".") and REFUSALS[action][0].isupper()


def test_every_state_has_a_french_label():
    assert set(STATE_LABELS) == set(State) and all(STATE_LABELS.values())
