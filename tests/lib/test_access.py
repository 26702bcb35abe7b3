"""The one way requests fetch a scoped object: invisible, malformed or under another dossier's URL is a 404."""

import pytest
from django.http import Http404
from django.urls import reverse

from clea.dossiers.models import Dossier
from clea.evaluations.access import get_evaluation_for_user_or_404
from clea.lib.access import get_or_404
from clea.training.access import get_training_path_for_user_or_404
from tests.dossiers.builders import dossier_in_training, with_path

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("public_id", ["pas-un-uuid", "", "6f1c2f5e-8d5a-4a57-9c1e-0b7f3f0e2a11"])
def test_unknown_or_malformed_id_is_a_404_in_french(path_setting, public_id):
    with pytest.raises(Http404, match="Dossier introuvable"):
        get_or_404(Dossier.objects.all(), public_id, "Dossier introuvable.")


def test_found_and_locked_when_visible(path_setting):
    s = path_setting
    dossier, _ = dossier_in_training(s)
    assert get_or_404(Dossier.objects.visible_to(s["evaluator"]), dossier.public_id, "x", for_update=True) == dossier


def test_evaluation_and_path_under_another_dossier_are_404(path_setting):
    s = path_setting
    first, initial = dossier_in_training(s, birth_name="Premier")
    second, _ = dossier_in_training(s, birth_name="Second")
    path = with_path(s, first)
    # Both visible to the evaluator, but never through the other dossier's URL.
    assert get_evaluation_for_user_or_404(s["evaluator"], initial.public_id, dossier=first) == initial
    with pytest.raises(Http404):
        get_evaluation_for_user_or_404(s["evaluator"], initial.public_id, dossier=second)
    with pytest.raises(Http404):
        get_training_path_for_user_or_404(s["evaluator"], path.public_id, dossier=second)
    with pytest.raises(Http404):
        get_evaluation_for_user_or_404(s["outsider"], initial.public_id)
    # The training organisation sees its own path, the outsider does not.
    assert get_training_path_for_user_or_404(s["trainer"], path.public_id) == path
    with pytest.raises(Http404):
        get_training_path_for_user_or_404(s["outsider"], path.public_id)


def test_grid_of_another_dossiers_evaluation_is_a_404_on_the_screen(client, path_setting):
    s = path_setting
    first, initial = dossier_in_training(s, birth_name="Premier")
    second, _ = dossier_in_training(s, birth_name="Second")
    client.force_login(s["evaluator"])
    own = reverse("evaluations:grid", kwargs={"public_id": first.public_id, "evaluation_id": initial.public_id})
    crossed = reverse("evaluations:grid", kwargs={"public_id": second.public_id, "evaluation_id": initial.public_id})
    assert client.get(own).status_code == 200
    assert client.get(crossed).status_code == 404


def test_malformed_referral_in_the_opening_url_is_a_404(client, path_setting):
    s = path_setting
    client.force_login(s["evaluator"])
    response = client.get(reverse("dossiers:open") + "?orientation=pas-un-uuid")
    assert response.status_code == 404
