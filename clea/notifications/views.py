from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clea.notifications.models import DigestSetting, Kind, Preference
from clea.organisations.access import get_organisation_for_user_or_404
from clea.organisations.permissions import can_manage_members


def preferences(request):
    """Each person chooses which e-mails they receive (all are on by default)."""
    if request.method == "POST":
        wanted = set(request.POST.getlist("kinds"))
        Preference.objects.filter(user=request.user).delete()
        Preference.objects.bulk_create(
            Preference(user=request.user, kind=kind) for kind in Kind.values if kind not in wanted
        )
        messages.success(request, "Vos choix de notifications sont enregistrés.")
        return redirect("notifications:preferences")
    off = set(Preference.objects.filter(user=request.user).values_list("kind", flat=True))
    return render(
        request,
        "notifications/preferences.html",
        {
            "title": "Mes notifications",
            "kinds": [(k, label, k not in off) for k, label in Kind.choices],
        },
    )


@require_POST
def digest(request, public_id):
    organisation = get_organisation_for_user_or_404(request.user, public_id)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied("Réservé aux administrateurs de l'organisation.")
    DigestSetting.objects.update_or_create(
        organisation=organisation, defaults={"daily_digest": request.POST.get("daily_digest") == "on"}
    )
    messages.success(request, "Mode d'envoi des notifications enregistré.")
    return redirect("organisations:detail", public_id=organisation.public_id)
