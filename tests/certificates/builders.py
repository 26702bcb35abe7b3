"""Dossiers awarded by a closed jury session, for the certificates' tests.

The path up to the jury goes through the real services (open, préalable all acquired, close →
READY_FOR_JURY, submit → AWAITING_JURY). The jury services are written elsewhere, so the session,
the entry and the decision are created as rows here, and the dossier is set to "certified" directly.
"""

import datetime
import itertools
import uuid

from django.utils import timezone

from clea.dossiers import services as dossier_services
from clea.dossiers.models import Candidate, Dossier
from clea.evaluations import services as evaluations
from clea.geography.models import Region
from clea.jury.models import Decision, JurySession, Outcome, SessionDossier
from clea.organisations.models import OrganisationKind
from tests.cast import candidate_data
from tests.dossiers.builders import TODAY, fill, open_dossier
from tests.factories import OrganisationFactory

_names = itertools.count(1)


def dossier_awaiting_jury(s, *, birth_name=None, day=TODAY, **candidate):
    """Through the services: open, préalable with everything acquired, close, submit to the jury."""
    birth_name = birth_name or f"Durand{next(_names)}"
    dossier = open_dossier(s, candidate=candidate_data(s["rennes"], birth_name=birth_name, **candidate))
    initial = evaluations.start_evaluation(
        dossier, kind="initial", evaluator=s["evaluator"], by=s["evaluator"], today=day
    )
    evaluations.add_sitting(
        initial, date=day, start=datetime.time(9), end=datetime.time(12), place="Rennes", by=s["evaluator"]
    )
    fill(initial)
    evaluations.close_evaluation(initial, by=s["evaluator"])
    dossier_services.submit_to_jury(dossier, by=s["evaluator"], summary="Tous les domaines sont acquis.")
    dossier.refresh_from_db()
    return dossier


def closed_session(s, *, date=TODAY, status="closed"):
    organiser = OrganisationFactory(kind=OrganisationKind.JURY_ORGANISER, name="Transitions Pro Bretagne")
    session = JurySession.objects.create(
        organiser=organiser,
        date=date,
        place="Rennes",
        region=Region.objects.get(code="53"),
        status=status,
        created_by=s["certifier"],
        closed_at=timezone.now() if status == "closed" else None,
        closed_by=s["certifier"] if status == "closed" else None,
    )
    session.certifications.set([s["clea"]])
    return session


def decide(s, session, dossier, outcome=Outcome.AWARDED):
    """The decision as the jury services will record it; an award makes the dossier certified."""
    entry = SessionDossier.objects.create(session=session, dossier=dossier, added_by=s["certifier"])
    decision = Decision.objects.create(entry=entry, outcome=outcome, votes_for=3, decided_by=s["certifier"])
    if outcome == Outcome.AWARDED:
        Dossier.objects.filter(pk=dossier.pk).update(state="certified")
    return decision


def awarded(s, session=None, **candidate):
    """A dossier through the services, awarded by a closed session: returns its decision."""
    session = session or closed_session(s)
    return decide(s, session, dossier_awaiting_jury(s, **candidate))


def certified_copies(s, template, session, count):
    """Many awarded decisions fast: copies of an already built dossier (volume and concurrency tests)."""
    decisions = []
    person = Candidate.objects.get(pk=template.candidate_id)
    for _ in range(count):
        person.pk, person.public_id = None, uuid.uuid4()
        person.birth_name = f"Copie{next(_names)}"
        person.save()
        copy = Dossier.objects.get(pk=template.pk)
        copy.pk, copy.public_id, copy.candidate, copy.state = None, uuid.uuid4(), person, "certified"
        copy.save()
        decisions.append(decide(s, session, copy))
    return decisions
