"""Two-factor authentication (TOTP, with django-otp): who must use it, and the devices of a person.

Mandatory for the certifier's staff (they issue certificates and withdraw habilitations), jury
organisers (they sign decisions) and technical administrators; anyone may turn it on. Recovery codes
are single-use static tokens: the platform keeps only what django-otp stores, and shows them once.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clea.accounts.memberships import active_memberships, is_certifier
from clea.lib.roles import OrganisationKind, Role

logger = logging.getLogger(__name__)
RECOVERY_CODES = 10
APP_DEVICE = "Application d'authentification"
RECOVERY_DEVICE = "Codes de secours"


def required_for(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        user.is_staff
        or user.is_superuser
        or is_certifier(user)
        or any(
            m.role == Role.JURY_ORGANISER
            or (m.role == Role.ADMIN and m.organisation.kind == OrganisationKind.JURY_ORGANISER)
            for m in active_memberships(user)
        )
    )


ENROLLED_KEY = "clea_second_factor_enrolled"  # read at login: a code is asked of whoever enrolled


def is_enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The application being set up: one unconfirmed device, kept until its first code proves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


@transaction.atomic
def confirm_enrolment(user: Any, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """The first code from the application confirms it; the recovery codes are made then, shown once."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code.strip().replace(" ", "")):
        logger.warning("Second factor enrolment refused for user id %s", getattr(user, "pk", None))
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device, new_recovery_codes(user)


def new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def check_code(user: Any, code: str):
    """The device the code proves (a recovery code is spent), or None: wrong, replayed or throttled."""
    device = match_token(user, code.strip().replace(" ", ""))
    if device is None:
        logger.warning("Second factor refused for user id %s", getattr(user, "pk", None))
    return device


@transaction.atomic
def remove_devices(user: Any) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def throttled(user: Any) -> bool:
    """After wrong codes django-otp makes the next try wait (1 s, 2 s, 4 s…): say so rather than "wrong"."""
    return any(not device.verify_is_allowed()[0] for device in TOTPDevice.objects.filter(user=user))


def remaining_recovery_codes(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()
