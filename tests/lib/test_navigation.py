"""The main menu asks each app's own predicate: every section it offers answers 200 for that person."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from clea.lib.navigation import menu, sections

pytestmark = pytest.mark.django_db

# The cast's people (tests/cast.py); org_admin is the evaluator organisation's administrator.
EXPECTED = {
    "org_admin": {
        "Dossiers",
        "Redevances",
        "Orientations",
        "Demandes de réunion",
        "Données personnelles",
        "Habilitation",
    },
    "evaluator": {"Dossiers", "Orientations", "Demandes de réunion"},
    "trainer": {"Dossiers"},
    "prescriber": {"Orientations"},
    "employer": {"Demandes d'absence"},
    "jury_organiser": {"Jurys"},
    "jury_member": {"Jurys"},
    "certifier": {
        "Dossiers",
        "Redevances",
        "Orientations",
        "Certificats",
        "Jurys",
        "Journal des modifications",
        "Habilitation",
        "Contrôle qualité",
    },
}
ALWAYS = {"Tableau de bord", "Référentiels", "Mon compte"}


def labels(client):
    response = client.get(reverse("pages:dashboard"))
    assert response.status_code == 200
    return [item.label for item in response.context["navigation"]], response.context["navigation"]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_sections_and_each_answers_200(client, cast, role):
    client.force_login(cast[role])
    shown, items = labels(client)
    organisations = "Organisations" if role == "certifier" else "Mes organisations"
    assert set(shown) == ALWAYS | EXPECTED[role] | {organisations}
    for item in items:
        assert client.get(item.url).status_code == 200, item.label


@pytest.mark.parametrize("role", ["evaluator", "prescriber", "employer", "jury_member"])
def test_gated_pages_left_out_of_the_menu_are_refused(client, cast, role):
    client.force_login(cast[role])
    for url_name in ("funding:fee_index", "certificates:list"):
        assert client.get(reverse(url_name)).status_code == 403


def test_anonymous_and_candidate_menus(client, cast, path_setting):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert [i.label for i in menu(request)] == ["Accueil", "Trouver un évaluateur"]
    client.force_login(cast.candidate)
    response = client.get(reverse("candidates:home"))
    assert [i.label for i in response.context["navigation"]] == ["Mon parcours", "Mes données", "Mon compte"]


def test_every_section_names_a_url_that_resolves():
    registered = sections()
    assert len(registered) >= 12
    for entry in registered:
        reverse(entry.url_name)
