"""Public home, layout accessibility basics, role-aware navigation, organisation switcher."""

import pytest
from django.urls import reverse

from clea.organisations.models import OrganisationKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_is_public_and_accessible_basics(client, referentiels):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert 'href="#contenu"' in page and 'id="contenu"' in page
    assert 'role="banner"' in page and 'role="contentinfo"' in page
    assert "Le parcours en 5 étapes" in page
    assert "CléA numérique" in page
    assert "Content-Security-Policy" in response.headers


def test_home_query_count(client, referentiels, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/")


@pytest.mark.parametrize("url", ["/tableau-de-bord/", "/referentiels/", "/organisations/"])
def test_private_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/compte/connexion/")


def test_navigation_depends_on_role(client, cast):
    client.force_login(cast["certifier"])
    labels = [item.label for item in client.get("/tableau-de-bord/").context["navigation"]]
    assert "Organisations" in labels
    client.force_login(cast["evaluator"])
    labels = [item.label for item in client.get("/tableau-de-bord/").context["navigation"]]
    assert "Mes organisations" in labels


def test_switcher_changes_current_organisation_only_to_own(client):
    user = UserFactory()
    first = OrganisationFactory(name="A — évaluateur", kind=OrganisationKind.EVALUATOR)
    second = OrganisationFactory(name="B — formation", kind=OrganisationKind.TRAINING)
    stranger = OrganisationFactory(name="C — autre")
    MembershipFactory(user=user, organisation=first, role=Role.EVALUATOR)
    MembershipFactory(user=user, organisation=second, role=Role.TRAINER)
    client.force_login(user)
    assert client.get("/tableau-de-bord/").context["current"].organisation == first
    client.post(reverse("organisations:switch"), {"organisation": str(second.public_id)})
    current = client.get("/tableau-de-bord/").context["current"]
    assert current.organisation == second and current.roles == {Role.TRAINER}
    client.post(reverse("organisations:switch"), {"organisation": str(stranger.public_id)})
    assert client.get("/tableau-de-bord/").context["current"].organisation == second
