"""Evaluation screens: sittings refused in French, the whole grid posted (stale, only changed cells),
closing an incomplete grid, the results page and its PDF."""

import pytest
from django.urls import reverse

from clea.evaluations import services as evaluations
from clea.evaluations.models import CriterionJudgement, Sitting
from tests.dossiers.builders import TODAY, dossier_in_training, open_dossier

pytestmark = pytest.mark.django_db


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


def _open_prealable(s):
    dossier = open_dossier(s)
    return dossier, evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )


def _grid_post(client, url) -> dict:
    """What the browser posts from the grid as shown: every open cell with its value and revision."""
    form = client.get(url).content.decode()
    import re

    data = {}
    for code in re.findall(r'name="r-([\d.]+)"', form):
        revision = re.search(rf'name="r-{re.escape(code)}" value="(\d*)"', form).group(1)
        checked = re.search(rf'name="j-{re.escape(code)}" value="(\w+)" checked', form)
        data |= {f"j-{code}": checked.group(1) if checked else "not_assessed", f"r-{code}": revision, f"c-{code}": ""}
    return data


def test_all_acquired_for_a_subdomain_in_one_request(client, path_setting):
    s = path_setting
    dossier, initial = _open_prealable(s)
    evaluations.record_judgements(
        initial, [evaluations.GridEntry("2.1.1", "not_acquired", "", None)], by=s["evaluator"]
    )
    client.force_login(s["evaluator"])
    url = reverse("evaluations:grid", args=[dossier.public_id, initial.public_id])
    assert 'name="tout_acquis" value="1.1"' in client.get(url).content.decode()
    data = _grid_post(client, url)
    response = client.post(url, {**data, "tout_acquis": "1.1"})
    assert response.status_code == 302
    saved = dict(CriterionJudgement.objects.values_list("criterion__code", "judgement"))
    subdomain = set(initial.referentiel_version.criteria.filter(subdomain__code="1.1").values_list("code", flat=True))
    assert subdomain and {code for code, j in saved.items() if j == "acquired"} == subdomain
    assert saved["2.1.1"] == "not_acquired"  # elsewhere nothing changes


def test_all_acquired_keeps_the_stale_check(client, path_setting):
    s = path_setting
    dossier, initial = _open_prealable(s)
    client.force_login(s["evaluator"])
    url = reverse("evaluations:grid", args=[dossier.public_id, initial.public_id])
    data = _grid_post(client, url)
    evaluations.record_judgements(
        initial, [evaluations.GridEntry("1.1.2", "not_acquired", "non", None)], by=s["colleague"]
    )
    response = client.post(url, {**data, "tout_acquis": "1.1"})
    assert response.status_code == 409 and "la grille a changé entre-temps" in response.content.decode()
    assert list(CriterionJudgement.objects.values_list("criterion__code", "judgement")) == [("1.1.2", "not_acquired")]
