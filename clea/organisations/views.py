from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clea.organisations import services
from clea.organisations.access import (
    get_membership_or_404,
    get_organisation_for_user_or_404,
)
from clea.organisations.current import SESSION_KEY
from clea.organisations.forms import (
    HabilitationForm,
    MemberForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from clea.organisations.models import Organisation
from clea.organisations.permissions import (
    active_memberships,
    can_manage_habilitations,
    can_manage_members,
)

PAGE_SIZE = 25


def organisation_list(request):
    organisations = (
        Organisation.objects.visible_to(request.user)
        .select_related("commune__departement")
        .annotate(habilitation_count=Count("habilitations", filter=Q(habilitations__withdrawn_on__isnull=True)))
        .order_by("name", "pk")
    )
    filters = OrganisationFilterForm(request.GET or None)
    if filters.is_valid():
        query = filters.cleaned_data["q"].strip()
        if query:
            organisations = organisations.filter(Q(name__icontains=query) | Q(siret=query.replace(" ", "")))
        if filters.cleaned_data["kind"]:
            organisations = organisations.filter(kind=filters.cleaned_data["kind"])
        if filters.cleaned_data["region"]:
            organisations = organisations.filter(commune__departement__region=filters.cleaned_data["region"])
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query_prefix = request.GET.copy()
    query_prefix.pop("page", None)
    return render(
        request,
        "organisations/list.html",
        {
            "title": "Organisations",
            "page_obj": page,
            "filters": filters,
            "query_prefix": query_prefix.urlencode() + "&" if query_prefix else "",
            "can_create": can_manage_habilitations(request.user),
        },
    )


def organisation_create(request):
    if not can_manage_habilitations(request.user):
        raise PermissionDenied("Réservé au certificateur.")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, f"Organisation « {organisation.name} » créée.")
        return redirect("organisations:detail", public_id=organisation.public_id)
    return render(
        request,
        "organisations/form.html",
        {"title": "Nouvelle organisation", "form": form},
        status=400 if form.errors else 200,
    )


def organisation_edit(request, public_id):
    organisation = get_organisation_for_user_or_404(request.user, public_id)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied("Réservé aux administrateurs de l'organisation.")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if not can_manage_habilitations(request.user):
        # Only the certifier changes what kind of organisation this is.
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Coordonnées enregistrées.")
        return redirect("organisations:detail", public_id=organisation.public_id)
    return render(
        request,
        "organisations/form.html",
        {"title": f"Modifier {organisation.name}", "form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


def organisation_detail(request, public_id):
    organisation = get_organisation_for_user_or_404(request.user, public_id)
    habilitations = list(
        organisation.habilitations.select_related("certification").prefetch_related(
            "regions", "suspensions", "establishments"
        )
    )
    today = timezone.localdate()
    for habilitation in habilitations:
        habilitation.state_label = habilitation.state_on(today)  # type: ignore[attr-defined]
    memberships = (
        organisation.memberships.filter(is_active=True).select_related("user").order_by("user__last_name", "role")
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "title": organisation.name,
            "organisation": organisation,
            "habilitations": habilitations,
            "memberships": memberships,
            "can_manage_members": can_manage_members(request.user, organisation),
            "can_manage_habilitations": can_manage_habilitations(request.user) and organisation.kind == "evaluator",
            # The certifier reads this organisation's changes in the audit trail.
            "shows_history": can_manage_habilitations(request.user),
        },
    )


def habilitation_create(request, public_id):
    organisation = get_organisation_for_user_or_404(request.user, public_id)
    if not can_manage_habilitations(request.user):
        raise PermissionDenied("Réservé au certificateur.")
    if organisation.kind != "evaluator":
        messages.error(request, "Seul un organisme évaluateur peut être habilité.")
        return redirect("organisations:detail", public_id=organisation.public_id)
    form = HabilitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.grant_habilitation(organisation, by=request.user, **form.cleaned_data)
        messages.success(request, "Habilitation enregistrée.")
        return redirect("organisations:detail", public_id=organisation.public_id)
    return render(
        request,
        "organisations/habilitation_form.html",
        {"title": "Nouvelle habilitation", "form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


def member_add(request, public_id):
    organisation = get_organisation_for_user_or_404(request.user, public_id)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied("Réservé aux administrateurs de l'organisation.")
    form = MemberForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.add_member(organisation, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Membre ajouté. Une personne nouvelle reçoit un lien pour choisir son mot de passe.")
        return redirect("organisations:detail", public_id=organisation.public_id)
    return render(
        request,
        "organisations/member_form.html",
        {"title": "Ajouter un membre", "form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@require_POST
def member_remove(request, public_id, membership_id):
    organisation = get_organisation_for_user_or_404(request.user, public_id)
    membership = get_membership_or_404(organisation, membership_id)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied("Réservé aux administrateurs de l'organisation.")
    if membership.user_id == request.user.pk and membership.role == "admin":
        messages.error(request, "Vous ne pouvez pas retirer votre propre rôle d'administrateur.")
    else:
        services.end_membership(membership, by=request.user)
        messages.success(request, "Rôle retiré.")
    return redirect("organisations:detail", public_id=organisation.public_id)


@require_POST
def switch(request):
    """Choose the organisation to act for; only one of the user's own organisations is accepted."""
    chosen = request.POST.get("organisation", "")
    allowed = {str(m.organisation.public_id) for m in active_memberships(request.user)}
    if chosen in allowed:
        request.session[SESSION_KEY] = chosen
        messages.success(request, "Organisation changée.")
    else:
        messages.error(request, "Vous n'appartenez pas à cette organisation.")
    return redirect("pages:dashboard")
