"""The person's screens in their space and the organisation's answer screens: who may, who may not."""

import pytest
from django.urls import reverse

from clea.dossiers.workflow import State
from clea.privacy import requests as privacy
from clea.privacy.models import Anonymisation, PrivacyRequest, RequestKind, RequestStatus

pytestmark = pytest.mark.django_db


def test_the_candidate_withdraws_consent_in_two_screens(client, cast, path_setting):
    client.force_login(cast.candidate)
    mine = client.get(reverse("privacy:mine")).content.decode()
    url = reverse("privacy:withdraw_consent", args=[cast.dossier.public_id])
    assert url in mine and reverse("candidates:my_data") in mine
    page = client.get(url).content.decode()
    assert "Votre parcours s'arrête tout de suite" in page
    response = client.post(url, {"message": "Je déménage"})
    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert (request.kind, request.message, request.requested_by) == (
        RequestKind.CONSENT_WITHDRAWAL,
        "Je déménage",
        cast.candidate,
    )
    cast.dossier.refresh_from_db()
    assert cast.dossier.state == State.WITHDRAWN
    assert (
        "l'organisme vous répond au plus tard le 27 décembre 2026"
        in client.get(reverse("privacy:mine")).content.decode()
    )


def test_a_second_request_is_answered_in_french_and_nothing_is_written(client, cast, path_setting):
    client.force_login(cast.candidate)
    client.post(reverse("privacy:erasure", args=[cast.dossier.public_id]), {"message": ""})
    response = client.post(reverse("privacy:withdraw_consent", args=[cast.dossier.public_id]), {"message": ""})
    assert response.status_code == 400 and "en cours" in response.content.decode()
    assert PrivacyRequest.objects.count() == 1
    cast.dossier.refresh_from_db()
    assert cast.dossier.state == State.TRAINING


def test_a_too_long_message_is_refused(client, cast, path_setting):
    client.force_login(cast.candidate)
    response = client.post(reverse("privacy:erasure", args=[cast.dossier.public_id]), {"message": "x" * 5001})
    assert response.status_code == 400 and not PrivacyRequest.objects.exists()


@pytest.mark.parametrize("role", ["evaluator", "org_admin", "outsider", "certifier", "employer"])
def test_only_the_person_reaches_their_data_screens(client, cast, path_setting, role):
    client.force_login(cast.user(role))
    dossier = cast.dossier
    assert client.get(reverse("privacy:mine")).status_code == 404
    assert client.get(reverse("privacy:erasure", args=[dossier.public_id])).status_code == 404
    assert client.post(reverse("privacy:keep", args=[dossier.public_id])).status_code == 404


def test_another_candidate_gets_404_on_this_dossier(client, cast, path_setting):
    cast.dossier  # noqa: B018
    client.force_login(cast.candidate)
    other = cast.awarded_dossier
    assert client.get(reverse("privacy:erasure", args=[other.public_id])).status_code == 404
    assert client.post(reverse("privacy:erasure", args=[other.public_id]), {"message": ""}).status_code == 404
    assert not PrivacyRequest.objects.exists()


def test_the_administrator_erases_from_the_queue(client, cast, path_setting):
    request = privacy.request_erasure(cast.dossier, by=cast.candidate, message="Merci")
    client.force_login(cast.org_admin)
    home = client.get(reverse("pages:dashboard")).content.decode()
    assert "Demandes d&#x27;effacement ou de retrait du consentement à traiter" in home
    listing = client.get(reverse("privacy:list")).content.decode()
    handle = reverse("privacy:handle", args=[request.public_id])
    assert handle in listing
    assert "irréversible" in client.get(handle).content.decode()
    assert client.post(handle, {"decision": "erase"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ERASED and Anonymisation.objects.filter(dossier=cast.dossier).exists()


def test_a_refusal_without_reason_stays_on_the_page(client, cast, path_setting):
    request = privacy.request_erasure(cast.dossier, by=cast.candidate)
    client.force_login(cast.org_admin)
    handle = reverse("privacy:handle", args=[request.public_id])
    response = client.post(handle, {"decision": "refuse", "answer": ""})
    assert response.status_code == 400 and "pourquoi" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


@pytest.mark.parametrize(("role", "status"), [("evaluator", 403), ("trainer", 403), ("certifier", 403)])
def test_who_may_not_answer(client, cast, path_setting, role, status):
    request = privacy.request_erasure(cast.dossier, by=cast.candidate)
    client.force_login(cast.user(role))
    assert client.get(reverse("privacy:list")).status_code == status
    assert client.post(reverse("privacy:handle", args=[request.public_id]), {"decision": "erase"}).status_code == status
    assert not Anonymisation.objects.exists()


def test_another_organisation_gets_404(client, cast, path_setting):
    request = privacy.request_erasure(cast.dossier, by=cast.candidate)
    client.force_login(cast.outsider)
    assert client.get(reverse("privacy:list")).status_code == 200  # its own list, without this request
    assert (
        reverse("privacy:handle", args=[request.public_id]) not in client.get(reverse("privacy:list")).content.decode()
    )
    assert client.post(reverse("privacy:handle", args=[request.public_id]), {"decision": "erase"}).status_code == 404
    assert not Anonymisation.objects.exists()


def test_the_list_costs_the_same_for_many_requests(client, cast, path_setting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    privacy.request_erasure(cast.dossier, by=cast.candidate)
    client.force_login(cast.org_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("privacy:list")).status_code == 200
        return len(captured)

    one = queries()
    privacy.request_erasure(cast.awarded_dossier, by=cast.org_admin)
    assert queries() == one


def test_the_data_download_includes_the_requests_and_the_pay(client, cast, path_setting):
    import json

    privacy.request_erasure(cast.dossier, by=cast.candidate, message="Merci")
    client.force_login(cast.candidate)
    [dossier] = json.loads(client.get(reverse("candidates:my_data")).content)["dossiers"]
    assert dossier["demandes_sur_mes_donnees"][0]["objet"] == "Demande d'effacement"
    assert dossier["absences"][0]["remuneration_maintenue"] is True


def test_before_the_jury_the_person_is_told_the_dossier_waits_for_the_decision(client, cast, path_setting):
    from tests.privacy.test_requests import _candidate_account

    dossier = cast.awarded_dossier  # presented to the jury
    client.force_login(_candidate_account(cast, dossier))
    page = client.get(reverse("privacy:withdraw_consent", args=[dossier.public_id])).content.decode()
    assert "devant le jury" in page and "arrête tout de suite" not in page
