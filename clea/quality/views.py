"""The certifier suspends or withdraws a habilitation: the impact on open dossiers is shown, then confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.lib.errors import RuleViolation
from clea.organisations import services
from clea.organisations.models import Habilitation, Suspension
from clea.organisations.permissions import can_manage_habilitations
from clea.quality.forms import SuspensionForm, WithdrawalForm
from clea.quality.impact import impact_of_measure


def _habilitation_or_404(user, public_id) -> Habilitation:
    habilitation = (
        Habilitation.objects.visible_to(user)
        .select_related("organisation", "certification")
        .prefetch_related("regions", "suspensions")
        .filter(public_id=public_id)
        .first()
    )
    if habilitation is None:
        raise Http404("Habilitation introuvable.")
    if not can_manage_habilitations(user):
        raise PermissionDenied("Réservé au certificateur.")
    return habilitation


def _measure(request, public_id, *, suspension: bool):
    habilitation = _habilitation_or_404(request.user, public_id)
    today = timezone.localdate()
    form_class = SuspensionForm if suspension else WithdrawalForm
    form = form_class(request.POST or None, today=today)
    detail = redirect("organisations:detail", public_id=habilitation.organisation.public_id)
    if habilitation.withdrawn_on is not None:
        messages.error(request, f"Cette habilitation est déjà retirée (effet le {habilitation.withdrawn_on:%d/%m/%Y}).")
        return detail
    confirming = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Confirmed only for the day whose impact was shown; a changed date shows its impact again.
        if request.POST.get("impact_for") == data["effective_on"].isoformat():
            try:
                if suspension:
                    services.suspend_habilitation(
                        habilitation,
                        reason=data["reason"],
                        starts_on=data["effective_on"],
                        ends_on=data["ends_on"],
                        by=request.user,
                        today=today,
                    )
                else:
                    services.withdraw_habilitation(
                        habilitation,
                        reason=data["reason"],
                        effective_on=data["effective_on"],
                        by=request.user,
                        today=today,
                    )
            except RuleViolation as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                done = "suspendue" if suspension else "retirée"
                messages.success(request, f"Habilitation {done} à partir du {data['effective_on']:%d/%m/%Y}.")
                return detail
        else:
            confirming = True
    effective_on = form.cleaned_data["effective_on"] if confirming else today
    return render(
        request,
        "quality/measure.html",
        {
            "title": ("Suspendre" if suspension else "Retirer") + " une habilitation",
            "habilitation": habilitation,
            "form": form,
            "suspension": suspension,
            "confirming": confirming,
            "impact": impact_of_measure(habilitation, effective_on),
        },
        status=400 if form.errors else 200,
    )


def withdraw(request, public_id):
    return _measure(request, public_id, suspension=False)


def suspend(request, public_id):
    return _measure(request, public_id, suspension=True)


@require_POST
def lift(request, public_id):
    suspension = (
        Suspension.objects.filter(habilitation__in=Habilitation.objects.visible_to(request.user), public_id=public_id)
        .select_related("habilitation__organisation")
        .first()
    )
    if suspension is None:
        raise Http404("Suspension introuvable.")
    if not can_manage_habilitations(request.user):
        raise PermissionDenied("Réservé au certificateur.")
    try:
        services.lift_suspension(suspension, by=request.user)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Suspension levée.")
    return redirect("organisations:detail", public_id=suspension.habilitation.organisation.public_id)
