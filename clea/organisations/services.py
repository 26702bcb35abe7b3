"""Business verbs on organisations: create, habilitate, suspend, withdraw, add and remove members."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from clea.accounts.models import User
from clea.geography.models import Region
from clea.lib.errors import RuleViolation
from clea.organisations.models import Habilitation, Membership, Organisation, Suspension
from clea.referentiel.models import Certification


class _InvitationForm(PasswordResetForm):
    """Django's reset form skips accounts without password; an invitation targets exactly one."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invited = user

    def get_users(self, email: str) -> list[User]:
        return [self.invited]


@transaction.atomic
def grant_habilitation(
    organisation: Organisation,
    *,
    certification: Certification,
    regions: Iterable[Region],
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    by: User,
) -> Habilitation:
    habilitation = Habilitation.objects.create(
        organisation=organisation,
        certification=certification,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=by,
    )
    habilitation.regions.set(regions)
    return habilitation


def _check_measure(
    habilitation: Habilitation, *, reason: str, effective_on: datetime.date, today: datetime.date
) -> None:
    if not reason.strip():
        raise RuleViolation("Indiquez le motif.", field="reason")
    if effective_on < today:
        raise RuleViolation(
            f"La date d'effet ne peut pas être passée : choisissez le {today:%d/%m/%Y} ou après.", field="effective_on"
        )
    if habilitation.withdrawn_on is not None:
        raise RuleViolation(f"Cette habilitation est déjà retirée (effet le {habilitation.withdrawn_on:%d/%m/%Y}).")


@transaction.atomic
def withdraw_habilitation(
    habilitation: Habilitation, *, reason: str, effective_on: datetime.date, by: User, today: datetime.date
) -> Habilitation:
    """A withdrawal is recorded with who, when, why and from which day; the habilitation row is kept."""
    habilitation = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
    _check_measure(habilitation, reason=reason, effective_on=effective_on, today=today)
    habilitation.withdrawn_at = timezone.now()
    habilitation.withdrawn_by = by
    habilitation.withdrawal_reason = reason.strip()
    habilitation.withdrawn_on = effective_on
    habilitation.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "withdrawn_on"])
    return habilitation


@transaction.atomic
def suspend_habilitation(
    habilitation: Habilitation,
    *,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    by: User,
    today: datetime.date,
) -> Suspension:
    habilitation = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
    _check_measure(habilitation, reason=reason, effective_on=starts_on, today=today)
    if ends_on is not None and ends_on < starts_on:
        raise RuleViolation("La fin de la suspension doit suivre son début.", field="ends_on")
    if habilitation.valid_until is not None and starts_on > habilitation.valid_until:
        raise RuleViolation(
            f"L'habilitation finit le {habilitation.valid_until:%d/%m/%Y} : il n'y a rien à suspendre après.",
            field="effective_on",
        )
    overlapping = habilitation.suspensions.filter(lifted_at__isnull=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise RuleViolation("Une suspension couvre déjà une partie de cette période : levez-la d'abord.")
    return Suspension.objects.create(
        habilitation=habilitation, reason=reason.strip(), starts_on=starts_on, ends_on=ends_on, created_by=by
    )


@transaction.atomic
def lift_suspension(suspension: Suspension, *, by: User) -> Suspension:
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is not None:
        raise RuleViolation("Cette suspension est déjà levée.")
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = by
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    return suspension


def add_member(
    organisation: Organisation,
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    by: User,
    request: HttpRequest | None = None,
) -> Membership:
    """Attach a person; a new person gets an account without password and a link to choose one."""
    User = get_user_model()
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        created = existing is None
        user = existing or User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        membership, _ = Membership.objects.update_or_create(
            user=user,
            organisation=organisation,
            role=role,
            defaults={"is_active": True, "created_by": by, "ended_at": None, "ended_by": None},
        )
    if created:
        form = _InvitationForm(user, {"email": user.email})
        if form.is_valid():
            form.save(
                request=request,
                subject_template_name="accounts/emails/password_reset_subject.txt",
                email_template_name="accounts/emails/password_reset.txt",
                use_https=bool(request and request.is_secure()),
            )
    return membership


def end_membership(membership: Membership, *, by: User) -> Membership:
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.ended_by = by
    membership.save(update_fields=["is_active", "ended_at", "ended_by"])
    return membership
