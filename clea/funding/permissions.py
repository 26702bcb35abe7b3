import rules

from clea.organisations.models import Role
from clea.organisations.permissions import is_certifier, roles_in


@rules.predicate
def can_answer_absence(user, request) -> bool:
    """The employer's administrators and employer contacts."""
    return bool(roles_in(user, request.employer) & {Role.ADMIN, Role.EMPLOYER_CONTACT})


def employer_organisations(user):
    from clea.organisations.permissions import active_memberships

    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == "employer" and m.role in (Role.ADMIN, Role.EMPLOYER_CONTACT)
    ]


def visible_absence_requests(user):
    """Employer staff see their requests; the evaluator organisation sees those of its dossiers."""
    from django.db.models import Q

    from clea.dossiers.models import Dossier
    from clea.funding.models import AbsenceRequest

    if is_certifier(user):
        return AbsenceRequest.objects.all()
    employers = [o.pk for o in employer_organisations(user)]
    return AbsenceRequest.objects.filter(Q(employer_id__in=employers) | Q(dossier__in=Dossier.objects.visible_to(user)))
