"""Buttons say what they do: no DSFR button is reduced to its icon (issue 12, point 3).

The DSFR shows a ``fr-btn`` carrying an ``fr-icon-*`` class as a bare icon (its text clipped to 2.5 rem)
unless the button says where the icon goes (``fr-btn--icon-left|right``), and inside a
``fr-btns-group`` unless the group does (``fr-btns-group--icon-left|right``). The header's tool links
are the DSFR's own exception: it lays them out with their text.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "clea" / "templates"
EXEMPT = {"includes/header.html"}
BUTTON = re.compile(r'<(a|button)\b[^>]*\bclass="([^"]*\bfr-btn\b[^"]*)"[^>]*>(.*?)</\1>', re.S)
GROUP = re.compile(r'<(?:ul|div)\b[^>]*\bclass="([^"]*\bfr-btns-group\b[^"]*)"[^>]*>(.*?)</(?:ul|div)>', re.S)
TAGS = re.compile(r"<[^>]+>|\{#.*?#\}")


def templates() -> list[str]:
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))


def has_icon(classes: str) -> bool:
    return bool(re.search(r"\bfr-(icon|fi)-", classes))


def problems(name: str, source: str) -> list[str]:
    found = []
    for _, classes, inner in BUTTON.findall(source):
        if not TAGS.sub("", inner).strip():
            found.append(f"bouton sans texte : {classes}")
        if has_icon(classes) and "fr-btn--icon-" not in classes and name not in EXEMPT:
            found.append(f"icône sans position, le texte est masqué : {classes}")
    for classes, inner in GROUP.findall(source):
        icons = any(has_icon(c) for _, c, _ in BUTTON.findall(inner))
        if icons and "fr-btns-group--icon-" not in classes and name not in EXEMPT:
            found.append(f"groupe de boutons à icônes sans fr-btns-group--icon-left : {classes}")
    return found


@pytest.mark.parametrize("name", templates())
def test_every_button_shows_its_text(name):
    assert problems(name, (TEMPLATES / name).read_text()) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="#">Ouvrir un dossier</a>', 0),
        ('<a class="fr-btn fr-icon-add-line" href="#">Ouvrir un dossier</a>', 1),
        ('<button class="fr-btn" type="submit"> <span aria-hidden="true"></span> </button>', 1),
        (
            '<ul class="fr-btns-group"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left">Ouvrir</a></li></ul>',
            1,
        ),
        (
            '<ul class="fr-btns-group fr-btns-group--icon-left">'
            '<li><a class="fr-btn fr-icon-add-line fr-btn--icon-left">Ouvrir</a></li></ul>',
            0,
        ),
    ],
)
def test_the_check_catches_bare_icons(source, expected):
    assert len(problems("x.html", source)) == expected


@pytest.mark.django_db
def test_form_errors_name_each_field(client, path_setting):
    """The summary lists the fields in error, each a link to its field, not a generic banner."""
    client.force_login(path_setting["evaluator"])
    response = client.post(reverse("dossiers:open"), {"consent": ""})
    html = response.content.decode()
    summary = html[html.index('role="alert"') : html.index("</div>", html.index('role="alert"'))]
    assert '<a href="#id_birth_name">Nom de naissance</a>' in summary
    assert '<a href="#id_consent">' in summary
    errors = len(response.context["form"].errors)
    assert f"Le formulaire contient {errors} erreurs" in summary
