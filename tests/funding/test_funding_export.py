import pytest
from django.urls import reverse

from clea.funding.services import add_funding_line
from tests.dossiers.builders import dossier_in_training

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["evaluator", "outsider", "certifier"])
def test_funding_csv_scoped_and_totals(client, path_setting, name):
    s = path_setting
    dossier, _ = dossier_in_training(s)
    add_funding_line(
        dossier,
        step="evaluation",
        scheme="cpf",
        funder="Caisse des Dépôts",
        amount=450,
        state="agreed",
        by=s["evaluator"],
    )
    add_funding_line(
        dossier,
        step="training",
        scheme="skills_plan",
        funder="=HYPERLINK()",
        amount=1200,
        state="planned",
        by=s["evaluator"],
    )
    client.force_login(s[name])
    body = client.get(reverse("funding:export")).content.decode("utf-8")
    assert body.startswith("\ufeffdossier;candidat")
    rows = body.strip().splitlines()[1:]
    assert len(rows) == (0 if name == "outsider" else 2)
    if rows:
        assert "450,00" in rows[0] and "'=HYPERLINK()" in rows[1]
    if name == "evaluator":
        page = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()
        totals = page[page.index("Totaux") : page.index("Totaux") + 200]
        assert "évaluation préalable 450" in totals and "formation 1200" in totals


def test_negative_amount_refused(path_setting):
    from clea.lib.errors import RuleViolation

    dossier, _ = dossier_in_training(path_setting)
    with pytest.raises(RuleViolation, match="positif"):
        add_funding_line(
            dossier, step="training", scheme="cpf", funder="X", amount=-1, state="planned", by=path_setting["evaluator"]
        )
