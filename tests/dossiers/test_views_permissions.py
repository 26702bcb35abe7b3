"""Every dossier screen: who may see (others get 404), who may act (others get 403)."""

import pytest
from django.urls import reverse

from tests.cast import FIRST_CIRCLE as CAST
from tests.cast import WORKERS

pytestmark = pytest.mark.django_db

# The trainer of the dossier's path sees it; the certifier sees every dossier.
SEE = WORKERS | {"trainer", "certifier"}


@pytest.fixture
def dossier_setup(cast, path_setting):
    """The cast's dossier: in training after a préalable with gaps, with the trainer's path."""
    return path_setting, cast.dossier, cast.evaluation, cast.training_path


def _status(name, allowed, *, write=False):
    if name in allowed:
        return None
    return 403 if (write and name in SEE) else 404


READ_VIEWS = [
    ("dossiers:detail", False),
    ("evaluations:results", False),
    ("evaluations:results_pdf", False),
    ("evaluations:grid", True),
]
WRITE_GET_VIEWS = [
    "dossiers:meeting",
    "dossiers:withdraw",
    "dossiers:close",
    "dossiers:submit",
    "training:path_create",
    "funding:create",
]


@pytest.mark.parametrize("name", CAST)
@pytest.mark.parametrize(("view", "with_evaluation"), READ_VIEWS)
def test_read_views(client, dossier_setup, name, view, with_evaluation):
    s, dossier, initial, _ = dossier_setup
    client.force_login(s[name])
    args = [dossier.public_id, initial.public_id] if with_evaluation else [dossier.public_id]
    response = client.get(reverse(view, args=args))
    expected = _status(name, SEE) or 200
    assert response.status_code == expected


@pytest.mark.parametrize("name", CAST)
@pytest.mark.parametrize("view", WRITE_GET_VIEWS)
def test_write_views_get(client, dossier_setup, name, view):
    s, dossier, _, _ = dossier_setup
    client.force_login(s[name])
    response = client.get(reverse(view, args=[dossier.public_id]))
    expected = _status(name, WORKERS, write=True) or 200
    assert response.status_code == expected


@pytest.mark.parametrize("name", CAST)
def test_grid_cell_save(client, dossier_setup, name):
    s, dossier, initial, _ = dossier_setup
    client.force_login(s[name])
    url = reverse("evaluations:grid_cell", args=[dossier.public_id, initial.public_id, "1.1.1"])
    response = client.post(url, {"judgement": "acquired", "revision": ""})
    expected = _status(name, WORKERS, write=True) or 200
    assert response.status_code == expected
    if expected != 200:
        assert initial.judgements.filter(criterion__code="1.1.1").count() == 1


@pytest.mark.parametrize("name", CAST)
def test_progress_by_trainer_only(client, dossier_setup, name):
    s, dossier, _, path = dossier_setup
    client.force_login(s[name])
    url = reverse("training:progress_create", args=[dossier.public_id, path.public_id])
    response = client.post(url, {"date": "2026-11-20", "hours_done": "6", "note": "Bonne progression"})
    allowed = {"trainer"}
    expected = 302 if name in allowed else (403 if name in SEE else 404)
    assert response.status_code == expected
    assert path.progress_notes.exists() == (name in allowed)


@pytest.mark.parametrize("name", CAST)
def test_open_form_for_evaluator_organisations_only(client, path_setting, name):
    client.force_login(path_setting[name])
    response = client.get(reverse("dossiers:open"))
    assert response.status_code == (200 if name in WORKERS | {"outsider"} else 403)


def test_anonymous_redirected(client, dossier_setup):
    _, dossier, _, _ = dossier_setup
    response = client.get(reverse("dossiers:detail", args=[dossier.public_id]))
    assert response.status_code == 302 and "connexion" in response.url


@pytest.mark.parametrize("name", CAST)
def test_evaluation_actions(client, dossier_setup, name):
    s, dossier, initial, _ = dossier_setup
    client.force_login(s[name])
    expected = _status(name, WORKERS, write=True)
    start = client.get(reverse("evaluations:start", args=[dossier.public_id, "finale"]))
    assert start.status_code == (expected or 200)
    sitting = client.post(
        reverse("evaluations:sitting_create", args=[dossier.public_id, initial.public_id]),
        {"date": "2026-11-28", "start": "09:00", "end": "10:00", "place": "Rennes"},
    )
    # Workers get the French refusal (the préalable is closed); others never reach the service.
    assert sitting.status_code == (expected or 409)
    close = client.post(reverse("evaluations:close", args=[dossier.public_id, initial.public_id]))
    assert close.status_code == (expected or 302)
    assert initial.sittings.count() == 1


@pytest.mark.parametrize("name", CAST)
def test_transfer_answer_by_holder_only(client, cast, dossier_setup, name):
    s, dossier, _, _ = dossier_setup
    transfer = cast.transfer_request  # asked by the outsider's organisation
    client.force_login(s[name])
    response = client.post(
        reverse("dossiers:transfer_answer", args=[dossier.public_id, transfer.public_id]),
        {"decision": "decline", "reason": "Pas d'accord du candidat"},
    )
    assert response.status_code == (_status(name, WORKERS, write=True) or 302)
    transfer.refresh_from_db()
    assert (transfer.status == "declined") == (name in WORKERS)
