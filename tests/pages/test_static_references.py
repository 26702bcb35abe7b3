"""Every static file a page names exists, so a missing one fails the suite rather than production.

In production the manifest storage raises on a file it does not know: every page naming it answers 500.
Development and the tests serve static files without a manifest, so nothing would show before a
deployment. Two checks through the staticfiles finders: every literal ``{% static %}`` of the project's
templates, and every static URL of rendered pages (tags such as ``{% dsfr_css %}`` name their own files).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from tests.factories import UserFactory

TEMPLATES = sorted(Path(settings.BASE_DIR, "clea").glob("**/templates/**/*.html"))
STATIC_TAG = re.compile(r"""{%\s*static\s+(['"])(.+?)\1""")


def missing(paths) -> list[str]:
    return sorted({path for path in paths if not finders.find(path)})


def static_files_of(html: str) -> set[str]:
    """The static files a page makes the browser fetch (stylesheets, scripts, icons, images)."""
    return set(re.findall(rf'(?:href|src)="{re.escape(static(""))}([^"?#]+)', html))


def test_every_static_tag_of_the_templates_names_an_existing_file():
    named = {
        (str(t.relative_to(settings.BASE_DIR)), m[2]) for t in TEMPLATES for m in STATIC_TAG.finditer(t.read_text())
    }
    assert named, "no {% static %} found: the template search is broken"
    assert [(template, path) for template, path in sorted(named) if not finders.find(path)] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/"),
        (None, "/compte/connexion/"),
        (None, "/page-inexistante/"),  # the error layout
        ("certifier", "/tableau-de-bord/"),
        ("evaluator", "/dossiers/"),
        ("staff", "/admin/"),
    ],
)
def test_rendered_pages_name_existing_static_files(client, cast, referentiels, who, url):
    if who == "staff":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    elif who:
        client.force_login(cast[who])
    response = client.get(url)
    assert response.status_code in (200, 404)
    files = static_files_of(response.content.decode())
    assert files, f"{url} names no static file"
    assert missing(files) == []
