"""The audit trail: changes to the followed objects are recorded with who and when, before and after,
read by the certifier on « Journal des modifications » and exported; the holder's identity stays out."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clea.certificates import services as certificates
from clea.organisations import services as organisations
from clea.organisations.models import Habilitation, Organisation, Role
from tests.api.test_dossiers_api import client_for

pytestmark = pytest.mark.django_db


def _entries(model):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).order_by("pk")


def test_a_withdrawal_through_the_screen_is_recorded_with_its_author_before_and_after(client, cast, path_setting):
    habilitation = cast.habilitation
    client.force_login(cast.certifier)

    response = client.post(
        reverse("quality:withdraw", args=[habilitation.public_id]),
        {"reason": "Audit non conforme", "effective_on": "2026-12-15", "impact_for": "2026-12-15"},
    )

    assert response.status_code == 302
    entry = _entries(Habilitation).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == cast.certifier
    assert entry.object_pk == str(habilitation.pk)
    assert entry.changes_dict["withdrawal_reason"] == ["", "Audit non conforme"]
    assert entry.changes_dict["withdrawn_at"][0] is None
    assert entry.changes_dict["withdrawn_on"] == [None, "2026-12-15"]


def test_regions_added_to_a_habilitation_are_listed(cast, path_setting):
    entries = _entries(Habilitation).filter(object_pk=str(cast.habilitation.pk))
    regions = [e.changes_dict["regions"] for e in entries if "regions" in (e.changes_dict or {})]
    assert regions and regions[0]["operation"] == "add" and regions[0]["objects"]


def test_the_organisation_page_leads_the_certifier_to_its_history(client, cast):
    client.force_login(cast.certifier)
    page = client.get(reverse("organisations:detail", args=[cast.organisation.public_id])).content.decode()
    assert f"object_type=organisation&amp;object_id={cast.organisation.pk}" in page
    client.force_login(cast.org_admin)
    page = client.get(reverse("organisations:detail", args=[cast.organisation.public_id])).content.decode()
    assert "Historique des modifications" not in page


def test_a_change_without_a_request_is_the_system_s(client, cast):
    organisation = Organisation.objects.create(name="Créé par une commande", kind="evaluator")
    entry = _entries(Organisation).get(object_pk=str(organisation.pk))
    assert entry.actor is None
    client.force_login(cast.certifier)
    page = client.get(reverse("audit:trail"), {"object_type": "organisation", "object_id": organisation.pk})
    assert "Système" in page.content.decode()
    assert "Créé par une commande" in page.content.decode()


def test_a_membership_added_by_an_administrator(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = organisations.add_member(
            cast.organisation,
            email="nouvelle@exemple.fr",
            first_name="Inès",
            last_name="Nouvelle",
            role=Role.EVALUATOR,
            by=cast.org_admin,
            request=RequestFactory().get("/"),
        )
    entry = _entries(type(membership)).get(object_pk=str(membership.pk), action=LogEntry.Action.CREATE)
    assert entry.changes_dict["role"] == [None, Role.EVALUATOR.value]


def test_a_revocation_through_the_api_names_the_token_s_user_and_never_the_holder(path_setting, certificate):
    certifier = path_setting["certifier"]
    api = client_for(certifier)

    response = api.post(
        reverse("api:certificate-revoke", args=[certificate.public_id]), {"reason": "Fraude établie"}, format="json"
    )

    assert response.status_code == 200, response.json()
    entry = _entries(type(certificate)).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == certifier
    assert entry.changes_dict["revocation_reason"] == ["", "Fraude établie"]
    every_change = " ".join(str(e.changes) for e in _entries(type(certificate)))
    assert certificate.holder_birth_name not in every_change
    assert certificate.verification_code not in every_change
    assert not _entries(type(certificate)).exclude(remote_addr=None).exists()


def test_the_trail_is_the_certifier_s(client, cast):
    for role in ("evaluator", "org_admin", "jury_member", "prescriber"):
        client.force_login(cast[role])
        assert client.get(reverse("audit:trail")).status_code == 403
        assert client.get(reverse("audit:trail_csv")).status_code == 403
    client.logout()
    assert client.get(reverse("audit:trail")).status_code == 302


def _organisations(count):
    for index in range(count):
        Organisation.objects.create(name=f"Organisme {index}", kind="evaluator")


def test_a_page_costs_the_same_whatever_its_length(client, cast):
    client.force_login(cast.certifier)
    _organisations(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("audit:trail")).status_code == 200
    _organisations(30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("audit:trail")).status_code == 200
    assert len(many) == len(few)


def test_filters_and_export(client, cast):
    client.force_login(cast.certifier)
    _organisations(2)
    target = Organisation.objects.create(name="Organisme suivi", kind="evaluator")
    target.name = "Organisme suivi renommé"
    target.save()

    page = client.get(reverse("audit:trail"), {"object_type": "organisation", "object_id": target.pk})
    assert page.context["page_obj"].paginator.count == 2
    export = client.get(reverse("audit:trail_csv"), {"object_type": "organisation", "object_id": target.pk})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Date", "Auteur", "Objet"]
    renamed = [row for row in rows[1:] if row[5] == "Modification" and row[6] == "name"]
    assert [(row[7], row[8]) for row in renamed] == [("Organisme suivi", "Organisme suivi renommé")]
    wrong = client.get(reverse("audit:trail"), {"since": "2026-12-01", "until": "2026-11-01"})
    assert wrong.status_code == 400
    assert "précède" in wrong.content.decode()


def test_revoke_service_recorded(path_setting, certificate):
    certificates.revoke(certificate, reason="Erreur d'identité", by=path_setting["certifier"])
    entry = _entries(type(certificate)).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.changes_dict["revocation_reason"][1] == "Erreur d'identité"
