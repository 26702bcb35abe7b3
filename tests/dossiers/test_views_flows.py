"""UI flows and bad input: French messages, nothing half written, constant queries on the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clea.dossiers.models import Candidate, Dossier, TransferRequest
from clea.evaluations import services as evaluations
from clea.evaluations.models import CriterionJudgement, Sitting
from tests.dossiers.builders import TODAY, dossier_in_training, open_dossier
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
        "birth_country": "Maroc",
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
    assert dossier.candidate.birth_country == "Maroc"
    assert dossier.events.get().kind == "opened"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": ""}, "consent", "consentement"),
        ({"postcode": "00000", "commune": ""}, "postcode", "Ce code postal n'existe pas."),
        ({"birth_country": ""}, "birth_country", "commune de naissance"),
        ({"candidate_status": "employee"}, "employer", "Indiquez l'employeur"),
        ({"initiator": "prescriber"}, "prescriber_type", "type de prescripteur"),
        ({"birth_date": "2090-01-01"}, "birth_date", "pas plausible"),
    ],
    ids=[
        "no-consent",
        "unknown-postcode",
        "no-birthplace",
        "employee-without-employer",
        "prescriber-without-type",
        "future-birth-date",
    ],
)
def test_open_form_bad_input(client, path_setting, overrides, field, message):
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("dossiers:open"), _open_payload(path_setting, **overrides))
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Candidate.objects.exists() and not Dossier.objects.exists()


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


def test_sitting_over_limit_refused_in_french(client, path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    client.force_login(s["evaluator"])
    url = reverse("evaluations:sitting_create", args=[dossier.public_id, initial.public_id])
    response = client.post(url, {"date": "2026-11-20", "start": "08:00", "end": "15:30", "place": "Rennes"})
    assert response.status_code == 400
    assert "au plus 7 h" in response.content.decode()
    response = client.post(url, {"date": "2026-11-20", "start": "10:00", "end": "09:00", "place": "Rennes"})
    assert response.status_code == 400
    assert "finir après son début" in response.content.decode()
    assert not Sitting.objects.exists()


def test_stale_full_grid_post_is_refused_and_shows_other_change(client, path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    client.force_login(s["evaluator"])
    url = reverse("evaluations:grid", args=[dossier.public_id, initial.public_id])
    client.get(url)
    # A colleague saves 1.1.1 in the meantime.
    evaluations.record_judgements(
        initial, [evaluations.GridEntry("1.1.1", "not_acquired", "doute", None)], by=s["colleague"]
    )
    response = client.post(
        url, {"j-1.1.1": "acquired", "c-1.1.1": "", "r-1.1.1": "", "j-1.1.2": "acquired", "c-1.1.2": "", "r-1.1.2": ""}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "la grille a changé entre-temps" in page and "doute" in page
    assert CriterionJudgement.objects.count() == 1


def test_full_grid_post_saves_only_changed_cells(client, path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.record_judgements(initial, [evaluations.GridEntry("1.2.1", "acquired", "", None)], by=s["colleague"])
    client.force_login(s["evaluator"])
    url = reverse("evaluations:grid", args=[dossier.public_id, initial.public_id])
    # The evaluator's page was read before the colleague saved 1.2.1; they left 1.2.1 as they saw it, so
    # only 1.1.1 is sent and the colleague's judgement stays.
    response = client.post(
        url,
        {
            "j-1.1.1": "acquired",
            "c-1.1.1": "clair",
            "r-1.1.1": "",
            "j-1.2.1": "not_assessed",
            "c-1.2.1": "",
            "r-1.2.1": "",
        },
    )
    assert response.status_code == 302
    assert CriterionJudgement.objects.filter(criterion__code="1.1.1", comment="clair").exists()
    assert list(CriterionJudgement.objects.filter(criterion__code="1.2.1").values_list("judgement", flat=True)) == [
        "acquired"
    ]


def test_close_incomplete_grid_refused(client, path_setting):
    s = path_setting
    dossier = open_dossier(s)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    client.force_login(s["evaluator"])
    response = client.post(reverse("evaluations:close", args=[dossier.public_id, initial.public_id]), follow=True)
    assert "au moins une séance" in response.content.decode()
    initial.refresh_from_db()
    assert initial.closed_at is None


def test_results_page_and_pdf(client, path_setting):
    dossier, _ = dossier_in_training(path_setting)
    client.force_login(path_setting["evaluator"])
    page = client.get(reverse("evaluations:results", args=[dossier.public_id])).content.decode()
    assert "Ce qu'il reste à apprendre" in page
    assert "Porter attention aux propos tenus" in page
    assert "Vous avez jusqu'au" in page
    pdf = client.get(reverse("evaluations:results_pdf", args=[dossier.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "Durand" not in pdf["Content-Disposition"]


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
