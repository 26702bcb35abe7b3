"""A grid for fast hands: keys a / n on a criterion save it and move on; « Tout acquis » per sub-domain."""

import pytest
from playwright.sync_api import expect

from clea.evaluations.models import CriterionJudgement
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def row(page, code):
    return page.locator(f"#critere-{code.replace('.', '')}")


def test_keys_save_and_move_on_and_a_subdomain_is_acquired_at_once(page, prealable_grid):
    evaluation = prealable_grid
    expect(page.locator(".clea-sticky-summary")).to_contain_text("touches")

    page.locator("[id='j-1.1.1-acquired']").focus()
    page.keyboard.press("a")
    expect(row(page, "1.1.1").get_by_role("status")).to_have_text("Enregistré")
    # The next criterion's radio group has the focus (on its checked radio, as Tab would land).
    expect(row(page, "1.1.2").locator("input[type=radio]:checked")).to_be_focused()
    page.keyboard.press("n")
    expect(row(page, "1.1.2").get_by_role("status")).to_have_text("Enregistré")
    saved = dict(CriterionJudgement.objects.filter(evaluation=evaluation).values_list("criterion__code", "judgement"))
    assert saved == {"1.1.1": "acquired", "1.1.2": "not_acquired"}

    page.get_by_role("button", name="Tout acquis pour 1.2").click()
    page.get_by_text("enregistré").first.wait_for()
    codes = set(evaluation.referentiel_version.criteria.filter(subdomain__code="1.2").values_list("code", flat=True))
    latest = {
        j.criterion.code: j.judgement
        for j in CriterionJudgement.objects.filter(evaluation=evaluation).select_related("criterion").order_by("pk")
    }
    assert {code for code, judgement in latest.items() if judgement == "acquired"} == codes | {"1.1.1"}
    assert latest["1.1.2"] == "not_acquired"
    assert_accessible(page)
