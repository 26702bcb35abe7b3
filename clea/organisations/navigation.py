"""The main menu, depending on who is logged in and for which organisation they act."""

from dataclasses import dataclass

from django.urls import reverse

from clea.organisations.permissions import is_certifier


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request) -> list[NavItem]:
    path = request.path
    entries: list[tuple[str, str]] = [
        ("Accueil", reverse("pages:home")),
        ("Trouver un évaluateur", reverse("directory:search")),
    ]
    user = request.user
    if user.is_authenticated and hasattr(user, "candidate_account"):
        entries = [("Mon parcours", reverse("candidates:home")), ("Mon compte", reverse("accounts:profile"))]
    elif user.is_authenticated:
        entries = [("Tableau de bord", reverse("pages:dashboard"))]
        current = getattr(request, "current", None)
        if is_certifier(user) or (current is not None and current.kind in ("evaluator", "training")):
            entries.append(("Dossiers", reverse("dossiers:list")))
        if is_certifier(user) or (current is not None and current.kind == "evaluator" and current.has_role("admin")):
            entries.append(("Redevances", reverse("funding:fee_index")))
        if is_certifier(user) or (current is not None and current.kind in ("prescriber", "evaluator")):
            entries.append(("Orientations", reverse("referrals:list")))
        if is_certifier(user):
            entries.append(("Certificats", reverse("certificates:list")))
        if current is not None and current.kind == "employer":
            entries.append(("Demandes d'absence", reverse("absences:list")))
        if is_certifier(user) or (current is not None and current.kind == "jury_organiser"):
            entries.append(("Jurys", reverse("jury:list")))
        entries.append(("Référentiels", reverse("referentiel:list")))
        label = "Organisations" if is_certifier(user) else "Mes organisations"
        entries.append((label, reverse("organisations:list")))
        entries.append(("Mon compte", reverse("accounts:profile")))
    return [NavItem(label, url, path == url or (url != "/" and path.startswith(url))) for label, url in entries]
