"""Browser script for issue 12's grid figure: 106 criteria filled by keyboard, each wait measured.

Not part of `make test` (it prints figures, it asserts no timing): `make bench-grid` runs it with
CLEA_BENCH_GRID=1. It checks that every criterion was saved, and prints the total time, the median,
p95 and longest wait between a key and the row's « Enregistré ».
"""

import os
import statistics
import time

import pytest

from clea.evaluations.models import CriterionJudgement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("CLEA_BENCH_GRID"), reason="mesure : make bench-grid"),
]


def test_106_criteria_by_keyboard(page, prealable_grid):
    evaluation = prealable_grid
    rows = page.locator("tr.clea-grid-row").evaluate_all("rows => rows.map(r => r.id)")
    page.locator(f"#{rows[0]} input[type=radio]").first.focus()
    waits, started = [], time.perf_counter()
    for row_id in rows:
        before = time.perf_counter()
        page.keyboard.press("a")
        page.locator(f"#{row_id} [role=status]").wait_for()
        waits.append((time.perf_counter() - before) * 1000)
    total = time.perf_counter() - started
    saved = CriterionJudgement.objects.filter(evaluation=evaluation, judgement="acquired").count()
    assert saved == len(rows) == 106
    waits.sort()
    print(
        f"\n106 critères au clavier : {total:.1f} s en tout ; attente après chaque touche : médiane "
        f"{statistics.median(waits):.0f} ms, p95 {waits[int(len(waits) * 0.95)]:.0f} ms, max {waits[-1]:.0f} ms"
    )
