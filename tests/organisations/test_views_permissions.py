"""Permission matrix of the organisation screens: who may, who may not, outsiders get 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clea.organisations.models import Habilitation, Membership, Role
from tests.cast import FIRST_CIRCLE as CAST
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db

SEE = {"evaluator", "colleague", "org_admin", "certifier"}
MANAGE_MEMBERS = {"org_admin", "certifier"}


def _expected(name, allowed, denied_status=404):
    return 200 if name in allowed else denied_status


@pytest.mark.parametrize("name", CAST)
def test_detail_visible_to_members_and_certifier_only(client, cast, name):
    client.force_login(cast[name])
    response = client.get(reverse("organisations:detail", args=[cast["organisation"].public_id]))
    assert response.status_code == _expected(name, SEE)


def test_detail_anonymous_redirected_to_login(client, cast):
    response = client.get(reverse("organisations:detail", args=[cast["organisation"].public_id]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", CAST)
def test_edit_by_admin_and_certifier(client, cast, name):
    client.force_login(cast[name])
    response = client.get(reverse("organisations:edit", args=[cast["organisation"].public_id]))
    # Members who are not admins see the organisation, so they get 403, not 404.
    expected = 200 if name in MANAGE_MEMBERS else (403 if name in SEE else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("name", CAST)
def test_member_add_permissions(client, cast, name):
    client.force_login(cast[name])
    url = reverse("organisations:member_add", args=[cast["organisation"].public_id])
    response = client.post(
        url, {"email": "nouvelle@exemple.fr", "first_name": "Léa", "last_name": "Roux", "role": Role.EVALUATOR}
    )
    expected = 302 if name in MANAGE_MEMBERS else (403 if name in SEE else 404)
    assert response.status_code == expected
    created = Membership.objects.filter(user__email="nouvelle@exemple.fr").exists()
    assert created == (name in MANAGE_MEMBERS)


@pytest.mark.parametrize("name", CAST)
def test_member_remove_permissions(client, cast, name):
    target = Membership.objects.get(user=cast["colleague"])
    client.force_login(cast[name])
    url = reverse("organisations:member_remove", args=[cast["organisation"].public_id, target.public_id])
    response = client.post(url)
    expected = 302 if name in MANAGE_MEMBERS else (403 if name in SEE else 404)
    assert response.status_code == expected
    target.refresh_from_db()
    assert target.is_active == (name not in MANAGE_MEMBERS)
    if name in MANAGE_MEMBERS:
        assert target.ended_by == cast[name] and target.ended_at is not None


@pytest.mark.parametrize("name", CAST)
def test_habilitation_create_certifier_only(client, cast, name, referentiels, geography):
    client.force_login(cast[name])
    url = reverse("organisations:habilitation_create", args=[cast["organisation"].public_id])
    response = client.post(
        url,
        {
            "certification": referentiels["CLEA"].certification.pk,
            "regions": ["53"],
            "valid_from": "2026-01-01",
            "valid_until": "2028-12-31",
        },
    )
    expected = 302 if name == "certifier" else (403 if name in SEE else 404)
    assert response.status_code == expected
    assert Habilitation.objects.exists() == (name == "certifier")


@pytest.mark.parametrize("name", CAST)
def test_habilitation_withdraw_certifier_only(client, cast, name):
    habilitation = HabilitationFactory(organisation=cast["organisation"])
    client.force_login(cast[name])
    url = reverse("quality:withdraw", args=[habilitation.public_id])
    day = timezone.localdate().isoformat()
    response = client.post(url, {"reason": "Audit défavorable", "effective_on": day, "impact_for": day})
    expected = 302 if name == "certifier" else (403 if name in SEE else 404)
    assert response.status_code == expected
    habilitation.refresh_from_db()
    assert (habilitation.withdrawn_at is not None) == (name == "certifier")
    if name == "certifier":
        assert habilitation.withdrawn_by == cast["certifier"]
        assert habilitation.withdrawal_reason == "Audit défavorable"


@pytest.mark.parametrize("name", CAST)
def test_create_organisation_certifier_only(client, cast, name):
    client.force_login(cast[name])
    response = client.get(reverse("organisations:create"))
    assert response.status_code == (200 if name == "certifier" else 403)


@pytest.mark.parametrize("name", CAST)
def test_list_shows_only_visible_organisations(client, cast, name):
    client.force_login(cast[name])
    response = client.get(reverse("organisations:list"))
    assert response.status_code == 200
    names = {o.name for o in response.context["page_obj"]}
    if name == "certifier":
        assert "Évaluateur A" in names and len(names) == 6
    else:
        own = {m.organisation.name for m in Membership.objects.filter(user=cast[name])}
        assert names == own


def test_habilitation_periods(cast):
    habilitation = HabilitationFactory(
        organisation=cast["organisation"],
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 12, 31),
    )
    assert habilitation.covers(datetime.date(2026, 6, 1))
    assert not habilitation.covers(datetime.date(2027, 1, 1))
    assert not habilitation.covers(datetime.date(2025, 12, 31))
    assert list(Habilitation.objects.valid_on(datetime.date(2026, 12, 31))) == [habilitation]
    assert not Habilitation.objects.valid_on(datetime.date(2027, 1, 1)).exists()
