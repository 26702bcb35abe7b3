"""Business verbs on organisations: create, habilitate, add and remove members."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from clea.accounts.models import User
from clea.geography.models import Region
from clea.organisations.models import Habilitation, Membership, Organisation
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


@transaction.atomic
def withdraw_habilitation(habilitation: Habilitation, *, reason: str, by: User) -> Habilitation:
    """A withdrawal is recorded with who, when and why; the habilitation row is kept."""
    habilitation.withdrawn_at = timezone.now()
    habilitation.withdrawn_by = by
    habilitation.withdrawal_reason = reason
    habilitation.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return habilitation


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
