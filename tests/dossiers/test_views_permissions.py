"""Every dossier screen: who may see (others get 404), who may act (others get 403)."""

import pytest
from django.urls import reverse

from tests.cast import FIRST_CIRCLE as CAST
from tests.cast import SEES_DOSSIER, WORKERS
from tests.cast import refusal as _status

pytestmark = pytest.mark.django_db

WRITE_GET_VIEWS = [
    "dossiers:meeting",
    "dossiers:withdraw",
    "dossiers:close",
    "dossiers:submit",
    "funding:create",
]


@pytest.mark.parametrize("name", CAST)
def test_detail(client, dossier_setup, name):
    s, dossier, _, _ = dossier_setup
    client.force_login(s[name])
    response = client.get(reverse("dossiers:detail", args=[dossier.public_id]))
    assert response.status_code == (_status(name, SEES_DOSSIER) or 200)


@pytest.mark.parametrize("name", CAST)
@pytest.mark.parametrize("view", WRITE_GET_VIEWS)
def test_write_views_get(client, dossier_setup, name, view):
    s, dossier, _, _ = dossier_setup
    client.force_login(s[name])
    response = client.get(reverse(view, args=[dossier.public_id]))
    expected = _status(name, WORKERS, write=True) or 200
    assert response.status_code == expected


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
