"""Rule 23: an ended dossier with no activity for 2 years is anonymised after a 30-day notice; a meeting
request left unanswered for 180 days is erased after the same notice. The daily task is run on a frozen
clock on each side of every boundary."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from clea.dossiers import services as dossiers
from clea.dossiers.models import Candidate, CandidateStatus
from clea.dossiers.services import record_event
from clea.meetings import services as meetings
from clea.meetings.models import MeetingRequest, RequestStatus
from clea.privacy.erasure import ANONYMOUS
from clea.privacy.models import Anonymisation, RetentionNotice
from clea.privacy.retention import Policy, sweep
from clea.privacy.tasks import retention_sweep
from tests.cast import candidate_data
from tests.clock import PARIS, TODAY

pytestmark = pytest.mark.django_db


def run_on(day: datetime.date) -> dict:
    """The daily task as the scheduler runs it: at 02:00 in Paris on that day."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(2, 0), tzinfo=PARIS), tick=False):
        mail.outbox.clear()
        return retention_sweep.enqueue().return_value


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def ended(cast, path_setting):
    """A dossier withdrawn today (its last activity), whose person has an e-mail address."""
    dossier = dossiers.open_dossier(
        organisation=cast.organisation,
        certification=cast.clea,
        candidate=candidate_data(cast.rennes, birth_name="Morel", first_names="Inès", email="ines@exemple.fr"),
        candidate_status=CandidateStatus.JOB_SEEKER,
        initiator="self",
        consent=True,
        evaluator=cast.evaluator,
        by=cast.evaluator,
        today=TODAY,
    )
    return dossiers.withdraw(dossier, reason="Déménage", by=cast.evaluator)


def test_notice_on_the_730th_day_of_inactivity_not_before(ended):
    assert run_on(days(729))["notified"] == 0
    assert run_on(days(730))["notified"] == 1
    notice = RetentionNotice.objects.get(dossier=ended)
    assert (notice.notified_on, notice.due_on) == (days(730), days(760))


def test_the_notice_reaches_the_person(ended, django_capture_on_commit_callbacks):
    at_two = datetime.datetime.combine(days(730), datetime.time(2), tzinfo=PARIS)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(at_two, tick=False):
        sweep(days(730))
    [notice] = [m for m in mail.outbox if "anonymisé" in m.subject]
    assert notice.to == ["ines@exemple.fr"] and "26 décembre 2028" in notice.body
    assert "certificat" not in notice.body  # withdrawn: no certificate to speak of


def test_anonymised_on_the_30th_day_of_notice_not_before(ended):
    run_on(days(730))
    assert run_on(days(759))["anonymised"] == 0
    assert Candidate.objects.get(pk=ended.candidate_id).birth_name == "Morel"
    assert run_on(days(760))["anonymised"] == 1
    assert Candidate.objects.get(pk=ended.candidate_id).birth_name == ANONYMOUS
    anonymisation = Anonymisation.objects.get(dossier=ended)
    assert anonymisation.by is None and "préavis du" in anonymisation.reason
    assert RetentionNotice.objects.get(dossier=ended).done_on == days(760)


def test_a_second_run_the_same_day_changes_nothing(ended):
    assert run_on(days(730))["notified"] == 1
    assert run_on(days(730)) == {
        "notified": 0,
        "anonymised": 0,
        "cancelled": 0,
        "requests_notified": 0,
        "requests_erased": 0,
    }
    run_on(days(760))
    assert run_on(days(760))["anonymised"] == 0 and Anonymisation.objects.count() == 1


def test_activity_after_the_notice_cancels_it_and_the_clock_starts_again(ended, cast):
    run_on(days(730))
    with time_machine.travel(datetime.datetime.combine(days(740), datetime.time(9), tzinfo=PARIS), tick=False):
        record_event(ended, "meeting", "Appel de la personne", by=cast.evaluator)
    result = run_on(days(760))
    assert (result["anonymised"], result["cancelled"]) == (0, 1)
    assert not Anonymisation.objects.exists()
    assert run_on(days(740 + 729))["notified"] == 0
    assert run_on(days(740 + 730))["notified"] == 1


def test_the_person_keeps_the_dossier_from_their_space(ended, cast, client):
    from clea.candidates import services as candidates
    from tests.cast import CANDIDATE_PASSWORD

    user = candidates.activate(cast._invite(ended), password=CANDIDATE_PASSWORD)
    run_on(days(730))
    with time_machine.travel(datetime.datetime.combine(days(735), datetime.time(9), tzinfo=PARIS), tick=False):
        client.force_login(user)  # logged in that day: a session does not last two years
        page = client.get(reverse("privacy:mine")).content.decode()
        assert "sera effacé le" in page
        response = client.post(reverse("privacy:keep", args=[ended.public_id]))
    assert response.status_code == 302
    assert RetentionNotice.objects.get(dossier=ended).cancelled_on == days(735)
    assert run_on(days(760))["anonymised"] == 0
    with time_machine.travel(datetime.datetime.combine(days(736), datetime.time(9), tzinfo=PARIS), tick=False):
        assert client.post(reverse("privacy:keep", args=[ended.public_id])).status_code == 302  # nothing to keep
    assert RetentionNotice.objects.count() == 1


def test_an_open_dossier_is_never_noticed(cast, path_setting):
    cast.dossier  # noqa: B018 (in training)
    assert run_on(days(3000))["notified"] == 0


def test_a_reopened_window_is_configuration(ended):
    policy = Policy(dossier_inactive_days=10, notice_days=2, meeting_request_inactive_days=5)
    assert sweep(days(9), policy).notified == 0
    assert sweep(days(10), policy).notified == 1


@pytest.fixture
def stale_request(path_setting):
    return meetings.submit_request(
        organisation=path_setting["organisation"],
        certification=None,
        first_name="Karim",
        last_name="Benali",
        email="karim@exemple.fr",
        phone="",
        preferred_times="",
        consent=True,
        today=TODAY,
    )


def test_an_unanswered_meeting_request_is_erased_after_its_notice(stale_request):
    assert run_on(days(179))["requests_notified"] == 0
    assert run_on(days(180))["requests_notified"] == 1
    assert run_on(days(209))["requests_erased"] == 0
    assert run_on(days(210))["requests_erased"] == 1
    request = MeetingRequest.objects.get(pk=stale_request.pk)
    assert (request.status, request.email, request.first_name) == (RequestStatus.CLOSED, "", "—")


def test_a_meeting_proposed_after_the_notice_saves_the_request(stale_request, cast):
    run_on(days(180))
    with time_machine.travel(datetime.datetime.combine(days(185), datetime.time(9), tzinfo=PARIS), tick=False):
        meetings.propose_meeting(
            stale_request,
            when=datetime.datetime.combine(days(200), datetime.time(14), tzinfo=PARIS),
            by=cast.evaluator,
        )
    assert run_on(days(210))["requests_erased"] == 0
    assert MeetingRequest.objects.get(pk=stale_request.pk).email == "karim@exemple.fr"


def test_finished_task_results_go_after_30_days(db):
    from django_tasks_db.models import DBTaskResult

    from clea.privacy.tasks import prune_task_results

    def result(finished_days_ago: int | None) -> DBTaskResult:
        now = datetime.datetime.now(tz=PARIS)
        return DBTaskResult.objects.create(
            status="SUCCESSFUL" if finished_days_ago is not None else "READY",
            args_kwargs={"args": [["lea@exemple.fr"]], "kwargs": {}},
            task_path="clea.notifications.sending.deliver",
            backend_name="default",
            run_after=now,
            finished_at=now - datetime.timedelta(days=finished_days_ago) if finished_days_ago is not None else None,
        )

    old, recent, waiting = result(31), result(29), result(None)
    assert prune_task_results.enqueue().return_value == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert old.pk not in DBTaskResult.objects.values_list("pk", flat=True)
