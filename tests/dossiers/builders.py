"""Build dossiers at a given step through the real services (no shortcuts into the database)."""

import datetime

from clea.dossiers import services as dossiers
from clea.dossiers.models import CandidateStatus, Initiator
from clea.evaluations import services as evaluations
from clea.referentiel.models import Criterion
from clea.training import services as training
from tests.cast import candidate_data
from tests.clock import TODAY


def open_dossier(s, *, birth_name="Durand", today=TODAY, **overrides):
    params = dict(
        organisation=s["organisation"],
        certification=s["clea"],
        candidate=candidate_data(s["rennes"], birth_name=birth_name),
        candidate_status=CandidateStatus.JOB_SEEKER,
        initiator=Initiator.SELF,
        consent=True,
        evaluator=s["evaluator"],
        by=s["evaluator"],
        today=today,
    )
    params.update(overrides)
    return dossiers.open_dossier(**params)


def grid_entries(evaluation, judgements):
    """Grid entries for ``{code: judgement}``, each with the revision the evaluator saw (as the screen sends)."""
    revisions = evaluations.current_revisions(evaluation)
    criteria = {c.code: c for c in evaluation.scope.all()}
    return [
        evaluations.GridEntry(
            code, j, base_revision=revisions[criteria[code].pk].pk if criteria[code].pk in revisions else None
        )
        for code, j in judgements.items()
    ]


def fill(evaluation, gaps=(), by=None):
    revisions = evaluations.current_revisions(evaluation)
    entries = [
        evaluations.GridEntry(
            c.code,
            "not_acquired" if c.code in gaps else "acquired",
            base_revision=revisions[c.pk].pk if c.pk in revisions else None,
        )
        for c in evaluation.scope.all()
    ]
    evaluations.record_judgements(evaluation, entries, by=by or evaluation.evaluator)


def dossier_in_training(s, *, gaps=("1.1.1", "2.4.1"), birth_name="Durand", day=TODAY):
    dossier = open_dossier(s, birth_name=birth_name)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=day
    )
    evaluations.add_sitting(
        initial, date=day, start=datetime.time(9), end=datetime.time(12), place="Rennes", by=s["evaluator"]
    )
    fill(initial, gaps)
    evaluations.close_evaluation(initial, by=s["evaluator"])
    dossier.refresh_from_db()
    return dossier, initial


def with_path(s, dossier):
    return training.propose_training_path(
        dossier,
        training_organisation=s["training_org"],
        trainer=s["trainer"],
        planned_hours=35,
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=90),
        target_codes=[],
        by=s["evaluator"],
    )


def criteria_codes(dossier):
    return list(Criterion.objects.filter(version=dossier.referentiel_version).values_list("code", flat=True))


def dossier_awaiting_jury(s, *, birth_name="Durand", gaps=()):
    """All acquired at the préalable (or with gaps, then forced through a finale) and submitted."""
    dossier = open_dossier(s, birth_name=birth_name)
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=TODAY
    )
    evaluations.add_sitting(
        initial, date=TODAY, start=datetime.time(9), end=datetime.time(12), place="Rennes", by=s["evaluator"]
    )
    fill(initial, gaps)
    evaluations.close_evaluation(initial, by=s["evaluator"])
    dossier.refresh_from_db()
    dossiers.submit_to_jury(dossier, by=s["evaluator"], summary="")
    dossier.refresh_from_db()
    return dossier
