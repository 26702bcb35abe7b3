"""UI flows and bad input: French messages, nothing half written, constant queries on the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clea.dossiers.models import Candidate, Dossier, TransferRequest
from tests.dossiers.builders import dossier_in_training, open_dossier
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


def _open_payload(s, **overrides):
    data = {
        "certification": s["clea"].pk,
        "birth_name": "Martin",
        "usage_name": "",
        "first_names": "Paul",
        "sex": "M",
        "birth_date": "1985-03-02",
        "birth_postcode": "",
        "birth_commune": "",
        "birth_country": "99350",
        "address_line1": "1 rue de Brest",
        "address_line2": "",
        "postcode": "35000",
        "commune": "35238",
        "email": "",
        "phone": "",
        "candidate_status": "job_seeker",
        "employer": "",
        "initiator": "self",
        "prescriber_type": "",
        "prescriber": "",
        "evaluator": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_open_dossier_through_the_form(client, path_setting):
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("dossiers:open"), _open_payload(path_setting))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == reverse("dossiers:detail", args=[dossier.public_id])
    assert dossier.candidate.birth_country.name == "Maroc"
    assert dossier.events.get().kind == "opened"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": ""}, "consent", "consentement"),
        ({"postcode": "00000", "commune": ""}, "postcode", "Ce code postal n'existe pas."),
        ({"birth_country": ""}, "birth_country", "commune de naissance"),
        ({"employer": "x"}, "employer", "Sélectionnez un choix valide"),
        ({"initiator": "prescriber"}, "prescriber_type", "type de prescripteur"),
        ({"birth_date": "2090-01-01"}, "birth_date", "pas plausible"),
        ({"sex": ""}, "sex", "Indiquez le sexe tel qu'il figure sur la pièce d'identité."),
    ],
    ids=[
        "no-consent",
        "unknown-postcode",
        "no-birthplace",
        "unknown-employer",
        "prescriber-without-type",
        "future-birth-date",
        "no-sex",
    ],
)
def test_open_form_bad_input(client, path_setting, overrides, field, message):
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("dossiers:open"), _open_payload(path_setting, **overrides))
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Candidate.objects.exists() and not Dossier.objects.exists()


def test_sex_is_asked_never_assumed(client, path_setting):
    """The civil identity goes on the certificate and the CPF report: the form starts blank."""
    client.force_login(path_setting["evaluator"])
    html = client.get(reverse("dossiers:open")).content.decode()
    select = html[html.index('name="sex"') : html.index("</select>", html.index('name="sex"'))]
    assert '<option value="" selected>Choisir</option>' in select
    assert "selected" not in select.replace('<option value="" selected>', "")


def test_non_habilitated_organisation_cannot_open(client, path_setting):
    path_setting["habilitation"].delete()
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("dossiers:open"), _open_payload(path_setting))
    assert response.status_code == 400
    assert "n'a pas d'habilitation" in " ".join(response.context["form"].non_field_errors())
    assert not Dossier.objects.exists()


def test_duplicate_offers_transfer_then_holder_accepts(client, path_setting):
    s = path_setting
    client.force_login(s["evaluator"])
    client.post(reverse("dossiers:open"), _open_payload(s))
    held = Dossier.objects.get()
    other = s["outsider"].memberships.get().organisation
    HabilitationFactory(organisation=other, certification=s["clea"], valid_from=datetime.date(2026, 1, 1))
    client.force_login(s["outsider"])
    response = client.post(reverse("dossiers:open"), _open_payload(s, birth_name="MARTIN", first_names="paul"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "déjà un dossier CléA ouvert" in page and "Demander le transfert" in page
    assert Dossier.objects.count() == 1
    response = client.post(
        reverse("dossiers:transfer_request"), {**_open_payload(s), "reason": "Le candidat a déménagé"}
    )
    assert response.status_code == 302
    transfer = TransferRequest.objects.get()
    client.force_login(s["org_admin"])
    page = client.get(reverse("dossiers:detail", args=[held.public_id])).content.decode()
    assert "Demande de transfert" in page and "Le candidat a déménagé" in page
    client.post(reverse("dossiers:transfer_answer", args=[held.public_id, transfer.public_id]), {"decision": "accept"})
    held.refresh_from_db()
    assert held.evaluator_organisation == other
    # The former holder no longer sees it; the new one does, with its history.
    assert client.get(reverse("dossiers:detail", args=[held.public_id])).status_code == 404
    client.force_login(s["outsider"])
    assert "transféré" in client.get(reverse("dossiers:detail", args=[held.public_id])).content.decode()


def test_deadline_shown_on_every_dossier_screen(client, path_setting):
    dossier, initial = dossier_in_training(path_setting)
    client.force_login(path_setting["evaluator"])
    for url in [
        reverse("dossiers:detail", args=[dossier.public_id]),
        reverse("evaluations:grid", args=[dossier.public_id, initial.public_id]),
        reverse("evaluations:results", args=[dossier.public_id]),
        reverse("training:path_create", args=[dossier.public_id]),
        reverse("funding:create", args=[dossier.public_id]),
    ]:
        assert "27 novembre 2031" in client.get(url).content.decode(), url


def test_list_filters_and_constant_queries(client, path_setting):
    s = path_setting
    client.force_login(s["evaluator"])
    open_dossier(s, birth_name="Alpha")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dossiers:list")).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for index in range(10):
        open_dossier(s, birth_name=f"Nom{index}")
    assert count() == one

    def search(**data):
        response = client.post(reverse("dossiers:list"), data, follow=True)
        # The name searched for is never in a URL.
        assert all("alpha" not in url.lower() for url, _ in response.redirect_chain)
        return [d.candidate.birth_name for d in response.context["page_obj"]]

    assert search(q="alpha") == ["Alpha"]
    assert search(state="training") == []
    assert search(deadline_soon="on") == []
    assert len(search(state="information")) == 11
    client.get(reverse("dossiers:list"), {"effacer": "1"})
    assert len(client.get(reverse("dossiers:list")).context["page_obj"]) == 11
