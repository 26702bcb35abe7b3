"""A person's own request for an information meeting, sent from the directory without an account.

Rule 10: the meeting is without commitment and the dossier is opened afterwards, only if the person
agrees. Until then the request keeps only what is needed to meet them, and a request closed without a
dossier is emptied of it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q

from clea.lib.models import PublicIdModel
from clea.organisations.models import Organisation
from clea.referentiel.models import Certification


class RequestStatus(models.TextChoices):
    NEW = "new", "Nouvelle : à contacter"
    PROPOSED = "proposed", "Date proposée"
    OPENED = "opened", "Dossier ouvert"
    CLOSED = "closed", "Close sans dossier (coordonnées effacées)"


OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.PROPOSED)


class MeetingRequest(PublicIdModel):
    evaluator_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meeting_requests")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    preferred_times = models.CharField("disponibilités", max_length=500, blank=True)
    consent_at = models.DateTimeField("accord pour être recontacté le")
    status = models.CharField("état", max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW)
    proposed_for = models.DateTimeField("réunion proposée le", null=True, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    # The reminder of a date proposed without a slot (a booking records its own): reset on each proposal.
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_request"
    )

    class Meta:
        verbose_name = "demande de réunion d'information"
        verbose_name_plural = "demandes de réunion d'information"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["evaluator_organisation", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                # Open requests keep a way to reach the person; once closed or turned into a dossier (whose
                # anonymisation empties it, rule 23) nothing is needed.
                condition=~Q(email="", phone="") | Q(status__in=["closed", "opened"]),
                name="meeting_request_reachable",
            )
        ]

    def __str__(self) -> str:
        return f"Demande de réunion de {self.first_name} {self.last_name.upper()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SlotKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individuelle"
    COLLECTIVE = "collective", "Collective"


# A booking belongs to the meeting as held when it was not cancelled before the start: one moved or
# cancelled afterwards (the person rebooked after missing it) still gets its attendance.
HELD = Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=F("slot__starts_at"))


class SlotQuerySet(models.QuerySet["MeetingSlot"]):
    def with_counts(self) -> SlotQuerySet:
        """``booked``: places taken; ``no_shows``: people who did not come; ``unmarked``: attendance to note."""
        held = Q(bookings__cancelled_at__isnull=True) | Q(bookings__cancelled_at__gt=F("starts_at"))
        return self.annotate(
            booked=Count("bookings", filter=held, distinct=True),
            no_shows=Count("bookings", filter=Q(bookings__attendance=Attendance.ABSENT), distinct=True),
            unmarked=Count("bookings", filter=held & Q(bookings__attendance=""), distinct=True),
        )

    def bookable(self, now: datetime.datetime) -> SlotQuerySet:
        """Slots to come, not cancelled, with a free place (counted)."""
        counted = self.filter(cancelled_at__isnull=True, starts_at__gt=now).with_counts()
        return counted.filter(booked__lt=F("capacity"))  # type: ignore[misc]  # the plugin misses annotations


class MeetingSlot(PublicIdModel):
    """An information meeting the evaluator organisation holds at a set time, for one person or a group."""

    evaluator_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meeting_slots")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)")
    kind = models.CharField("type", max_length=10, choices=SlotKind.choices)
    capacity = models.PositiveSmallIntegerField("places")
    remote = models.BooleanField("à distance", default=False)
    place = models.CharField("lieu", max_length=300, blank=True)
    link = models.URLField("lien de connexion", max_length=500, blank=True)
    created_at = models.DateTimeField("publié le", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = "créneau de réunion d'information"
        verbose_name_plural = "créneaux de réunion d'information"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["evaluator_organisation", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="meeting_slot_capacity"),
            models.CheckConstraint(
                condition=~Q(kind="individual") | Q(capacity=1), name="meeting_slot_individual_alone"
            ),
            models.CheckConstraint(
                condition=Q(remote=True, link__gt="") | Q(remote=False, place__gt=""), name="meeting_slot_located"
            ),
        ]

    def __str__(self) -> str:
        return f"Réunion d'information du {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    def held(self) -> models.QuerySet[MeetingBooking]:
        return self.bookings.filter(HELD).select_related("request")

    @property
    def where(self) -> str:
        return f"À distance : {self.link}" if self.remote else self.place


class Attendance(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent (ne s'est pas présenté)"


class MeetingBooking(PublicIdModel):
    """A request's place on a slot. Pending while neither cancelled nor marked; one pending per request."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.PROTECT, related_name="bookings")
    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="bookings")
    booked_at = models.DateTimeField("réservé le", auto_now_add=True)
    booked_by = models.ForeignKey(  # empty: the person booked from their link
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    # The latest mark (AttendanceMark keeps every one, with who and when).
    attendance = models.CharField("présence", max_length=10, choices=Attendance.choices, blank=True)

    class Meta:
        verbose_name = "réservation de créneau"
        verbose_name_plural = "réservations de créneau"
        ordering = ["booked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(cancelled_at__isnull=True, attendance=""),
                name="one_pending_booking_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"Réservation du {self.slot}"


class AttendanceMark(models.Model):
    """Append-only: a correction is a new mark, the earlier ones stay with their author and time."""

    booking = models.ForeignKey(MeetingBooking, on_delete=models.CASCADE, related_name="marks")
    attendance = models.CharField("présence", max_length=10, choices=Attendance.choices)
    recorded_at = models.DateTimeField("noté le", auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "présence notée"
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.get_attendance_display()
