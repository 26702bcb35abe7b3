"""Training screens for the cast's dossier: the evaluator organisation proposes the path, the trainer notes
the progress; those who see the dossier get 403, others 404."""

import pytest
from django.urls import reverse

from tests.cast import FIRST_CIRCLE as CAST
from tests.cast import SEES_DOSSIER as SEE
from tests.cast import WORKERS
from tests.cast import refusal as _status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", CAST)
def test_path_form(client, dossier_setup, name):
    s, dossier, _, _ = dossier_setup
    client.force_login(s[name])
    response = client.get(reverse("training:path_create", args=[dossier.public_id]))
    assert response.status_code == (_status(name, WORKERS, write=True) or 200)


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
