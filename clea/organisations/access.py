"""Fetch one scoped object for a request: what the user may not see does not exist (404)."""

from django.http import Http404

from clea.organisations.models import Membership, Organisation


def get_organisation_for_user_or_404(user, public_id) -> Organisation:
    organisation = (
        Organisation.objects.visible_to(user)
        .select_related("commune__departement__region")
        .filter(public_id=public_id)
        .first()
    )
    if organisation is None:
        raise Http404("Organisation introuvable.")
    return organisation


def get_membership_or_404(organisation: Organisation, public_id) -> Membership:
    membership = organisation.memberships.select_related("user").filter(public_id=public_id).first()
    if membership is None:
        raise Http404("Rattachement introuvable.")
    return membership
