"""E-mails of a habilitation application: the certifier learns of a deposit, the organisation of what
the certifier asks and decides. Sent after commit (``notify``), once per event (``key``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from clea.campaigns.models import Application
from clea.lib.roles import OrganisationKind, Role
from clea.notifications.models import Kind
from clea.notifications.sending import members, notify
from clea.organisations.models import Organisation


def _send(application: Application, *, headline: str, text: str, users: list, key: str, organisation=None) -> None:
    campaign = application.campaign
    notify(
        Kind.HABILITATION_APPLICATION,
        template="habilitation_application",
        context={
            "headline": headline,
            "text": text,
            "organisation": application.organisation.name,
            "campaign": campaign.title,
            "certification": campaign.certification.name,
            "link": settings.SITE_URL.rstrip("/") + reverse("campaigns:application", args=[application.public_id]),
        },
        users=users,
        organisation=organisation,
        key=key,
    )


def to_certifier(application: Application, *, headline: str, key: str) -> None:
    staff: list = []
    for certifier in Organisation.objects.filter(kind=OrganisationKind.CERTIFIER, is_active=True):
        staff += members(certifier, [Role.ADMIN, Role.CERTIFIER_OFFICER])
    _send(application, headline=headline, text="", users=staff, key=key)


def to_applicant(application: Application, *, headline: str, text: str, key: str) -> None:
    _send(
        application,
        headline=headline,
        text=text,
        users=members(application.organisation, [Role.ADMIN]),
        organisation=application.organisation,
        key=key,
    )
