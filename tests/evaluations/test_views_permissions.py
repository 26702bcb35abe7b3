"""Every evaluation screen for the cast's dossier: who may see (others get 404), who may act (others 403)."""

import pytest
from django.urls import reverse

from tests.cast import FIRST_CIRCLE as CAST
from tests.cast import SEES_DOSSIER, WORKERS
from tests.cast import refusal as _status

pytestmark = pytest.mark.django_db

READ_VIEWS = [
    ("evaluations:results", False),
    ("evaluations:results_pdf", False),
    ("evaluations:grid", True),
]


@pytest.mark.parametrize("name", CAST)
@pytest.mark.parametrize(("view", "with_evaluation"), READ_VIEWS)
def test_read_views(client, dossier_setup, name, view, with_evaluation):
    s, dossier, initial, _ = dossier_setup
    client.force_login(s[name])
    args = [dossier.public_id, initial.public_id] if with_evaluation else [dossier.public_id]
    response = client.get(reverse(view, args=args))
    expected = _status(name, SEES_DOSSIER) or 200
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
