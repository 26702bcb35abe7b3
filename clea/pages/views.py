from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone

from clea.lib.worklist import queues
from clea.referentiel.models import ReferentielVersion, VersionStatus
from clea.referentiel.permissions import can_manage_referentiels


@login_not_required
def home(request):
    """Public page: what CléA is and the path in plain words."""
    versions = (
        ReferentielVersion.objects.filter(status=VersionStatus.ACTIVE)
        .select_related("certification")
        .order_by("certification__code")
    )
    return render(request, "pages/home.html", {"versions": versions, "title": "Accueil"})


@login_not_required
def accessibility(request):
    return render(request, "pages/accessibility.html", {"title": "Accessibilité"})


def dashboard(request):
    """Each role lands on its work: the queues registered by the apps (``clea.lib.worklist``)."""
    if hasattr(request.user, "candidate_account"):
        return redirect("candidates:home")
    return render(
        request,
        "pages/dashboard.html",
        {
            "title": "Tableau de bord",
            "queues": queues(request.user, request.current, timezone.localdate()),
            "can_manage_referentiels": can_manage_referentiels(request.user),
        },
    )
