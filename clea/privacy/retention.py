"""The daily retention sweep (rule 23): notify, wait, then anonymise what nobody needs any more.

Periods are settings (``RETENTION_*``, docs/rgpd.md). An ended dossier with no activity for
``RETENTION_DOSSIER_INACTIVE_DAYS`` gets a notice to the person; after ``RETENTION_NOTICE_DAYS``
without activity it is anonymised. Any activity (an event on the dossier, the person asking to keep it)
cancels the notice, and the clock starts again. Open meeting requests left unanswered for
``RETENTION_MEETING_REQUEST_INACTIVE_DAYS`` follow the same path and are then closed, their contact data
erased. Each step is idempotent: a second run on the same day changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from clea.dossiers.models import Dossier, DossierEvent
from clea.dossiers.workflow import OPEN_STATES, State
from clea.lib.errors import Conflict
from clea.meetings.models import OPEN_STATUSES, MeetingRequest
from clea.meetings.services import close_request
from clea.notifications.sending import notify
from clea.privacy.erasure import anonymise_dossier
from clea.privacy.models import RetentionNotice

NOTICE_KIND = "privacy_notice"  # a legal notice: not among the kinds people may turn off


@dataclass(frozen=True)
class Policy:
    dossier_inactive_days: int
    notice_days: int
    meeting_request_inactive_days: int

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            settings.RETENTION_DOSSIER_INACTIVE_DAYS,
            settings.RETENTION_NOTICE_DAYS,
            settings.RETENTION_MEETING_REQUEST_INACTIVE_DAYS,
        )


@dataclass
class SweepResult:
    notified: int = 0
    anonymised: int = 0
    cancelled: int = 0
    requests_notified: int = 0
    requests_erased: int = 0


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def last_activity() -> Greatest:
    """The dossier's latest event, or its last change: what the inactivity period runs from."""
    latest_event = (
        DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier").annotate(m=Max("at"))
    )
    return Greatest(
        "updated_at", Coalesce(Subquery(latest_event.values("m")), "updated_at"), output_field=DateTimeField()
    )


def ended_unanonymised() -> QuerySet[Dossier]:
    return Dossier.objects.exclude(state__in=OPEN_STATES).filter(anonymisation__isnull=True)


def sweep(today: datetime.date, policy: Policy | None = None) -> SweepResult:
    policy = policy or Policy.from_settings()
    result = SweepResult()
    _act_on_due_dossiers(today, result)
    _notify_dossiers(today, policy, result)
    _act_on_due_requests(today, result)
    _notify_requests(today, policy, result)
    return result


def _act_on_due_dossiers(today: datetime.date, result: SweepResult) -> None:
    running = RetentionNotice.objects.running().filter(dossier__isnull=False)
    for notice in running.filter(due_on__lte=today).order_by("pk").iterator(chunk_size=500):
        assert notice.dossier_id is not None  # the constraint: a notice has exactly one subject
        with transaction.atomic():
            dossier = ended_unanonymised().annotate(last_activity=last_activity()).filter(pk=notice.dossier_id).first()
            if dossier is None or dossier.last_activity >= start_of(notice.notified_on):
                notice.cancelled_on = today  # reopened, anonymised meanwhile, or active since the notice
                result.cancelled += 1
            else:
                try:
                    with transaction.atomic():
                        anonymise_dossier(
                            dossier,
                            by=None,
                            reason=f"Durée de conservation écoulée (préavis du {notice.notified_on:%d/%m/%Y})",
                        )
                except Conflict:  # erased or reopened by someone meanwhile: this notice has no object left
                    notice.cancelled_on = today
                    result.cancelled += 1
                else:
                    notice.done_on = today
                    result.anonymised += 1
            notice.save(update_fields=["cancelled_on", "done_on"])


def _notify_dossiers(today: datetime.date, policy: Policy, result: SweepResult) -> None:
    cutoff = start_of(today - datetime.timedelta(days=policy.dossier_inactive_days - 1))
    noticed = RetentionNotice.objects.running().filter(dossier=OuterRef("pk"))
    stale = (
        ended_unanonymised()
        .annotate(last_activity=last_activity())
        .filter(last_activity__lt=cutoff)
        .exclude(Q(pk__in=Subquery(noticed.values("dossier"))))
        .select_related("candidate__account__user", "evaluator_organisation", "certification")
    )
    due_on = today + datetime.timedelta(days=policy.notice_days)
    for dossier in stale.order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            RetentionNotice.objects.create(dossier=dossier, notified_on=today, due_on=due_on)
            account = getattr(dossier.candidate, "account", None)
            notify(
                NOTICE_KIND,
                template="privacy_retention_notice",
                context={
                    "organisation": dossier.evaluator_organisation.name,
                    "certification": dossier.certification.name,
                    "due_on": due_on,
                    "certified": dossier.state == State.CERTIFIED,
                    "space": settings.SITE_URL.rstrip("/") + reverse("privacy:mine") if account else "",
                },
                emails=[account.user.email if account else dossier.candidate.email],
                key=f"retention-dossier-{dossier.pk}-{today.isoformat()}",
            )
        result.notified += 1


def _request_activity(request: MeetingRequest) -> datetime.datetime:
    return max(request.created_at, request.proposed_for or request.created_at)


def _act_on_due_requests(today: datetime.date, result: SweepResult) -> None:
    running = RetentionNotice.objects.running().filter(meeting_request__isnull=False)
    for notice in running.filter(due_on__lte=today).select_related("meeting_request"):
        with transaction.atomic():
            request = notice.meeting_request
            assert request is not None  # the constraint: a notice has exactly one subject
            if request.status not in OPEN_STATUSES or _request_activity(request) >= start_of(notice.notified_on):
                notice.cancelled_on = today
                result.cancelled += 1
            else:
                try:
                    with transaction.atomic():
                        close_request(request, by=None)
                except Conflict:  # answered at this very moment: nothing to erase
                    notice.cancelled_on = today
                    result.cancelled += 1
                else:
                    notice.done_on = today
                    result.requests_erased += 1
            notice.save(update_fields=["cancelled_on", "done_on"])


def _notify_requests(today: datetime.date, policy: Policy, result: SweepResult) -> None:
    cutoff = start_of(today - datetime.timedelta(days=policy.meeting_request_inactive_days - 1))
    noticed = RetentionNotice.objects.running().filter(meeting_request__isnull=False).values("meeting_request")
    stale = (
        MeetingRequest.objects.filter(status__in=OPEN_STATUSES, created_at__lt=cutoff)
        .filter(Q(proposed_for__isnull=True) | Q(proposed_for__lt=cutoff))
        .exclude(pk__in=noticed)
        .select_related("evaluator_organisation")
    )
    due_on = today + datetime.timedelta(days=policy.notice_days)
    for request in stale.order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            RetentionNotice.objects.create(meeting_request=request, notified_on=today, due_on=due_on)
            notify(
                NOTICE_KIND,
                template="privacy_meeting_request_notice",
                context={"organisation": request.evaluator_organisation.name, "due_on": due_on},
                emails=[request.email],
                key=f"retention-request-{request.pk}-{today.isoformat()}",
            )
        result.requests_notified += 1
