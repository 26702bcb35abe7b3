"""Creating organisations: SIRET, official geography, prescriber types; errors in French."""

import pytest
from django.urls import reverse

from clea.lib.siret import with_check_digit
from clea.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _payload(**overrides):
    data = {
        "name": "Organisme évaluateur de Rennes",
        "kind": "evaluator",
        "prescriber_type": "",
        "siret": with_check_digit("1234567890123"),
        "address_line1": "1 rue de la Paix",
        "address_line2": "",
        "postcode": "35000",
        "commune": "35238",
        "email": "",
        "phone": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_certifier_creates_organisation_with_official_commune(client, cast, geography):
    client.force_login(cast["certifier"])
    response = client.post(reverse("organisations:create"), _payload())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Organisme évaluateur de Rennes")
    assert organisation.commune.name == "Rennes"
    assert organisation.commune.departement.region.code == "53"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"siret": "12345678901234"}, "siret", "clé de contrôle"),
        ({"siret": "1234"}, "siret", "14 chiffres"),
        ({"postcode": "00000", "commune": ""}, "postcode", "Ce code postal n'existe pas."),
        ({"commune": "75056"}, "commune", "Sélectionnez un choix valide"),
        ({"kind": "prescriber"}, "prescriber_type", "Indiquez le type de prescripteur."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
    ],
    ids=[
        "bad-siret-key",
        "short-siret",
        "unknown-postcode",
        "commune-not-in-postcode",
        "prescriber-without-type",
        "empty-name",
    ],
)
def test_bad_input_refused_with_french_message(client, cast, geography, overrides, field, message):
    client.force_login(cast["certifier"])
    response = client.post(reverse("organisations:create"), _payload(**overrides))
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Organisation.objects.filter(name="Organisme évaluateur de Rennes").exists()


def test_duplicate_siret_refused(client, cast, geography):
    client.force_login(cast["certifier"])
    assert client.post(reverse("organisations:create"), _payload()).status_code == 302
    response = client.post(reverse("organisations:create"), _payload(name="Autre"))
    assert response.status_code == 400
    assert "siret" in response.context["form"].errors


def test_commune_options_by_postcode(client, geography):
    response = client.get(reverse("geography:commune_options"), {"postcode": "35000"})
    assert response.status_code == 200
    assert "Rennes (35)" in response.content.decode()
    unknown = client.get(reverse("geography:commune_options"), {"postcode": "00000"})
    assert "Code postal inconnu" in unknown.content.decode()
