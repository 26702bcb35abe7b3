"""Certifier's référentiel screens: permissions, import refusals that change nothing, transitions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clea.referentiel.documents import to_csv
from clea.referentiel.models import Criterion, ImmutableVersionError, ReferentielVersion, VersionStatus

pytestmark = pytest.mark.django_db
CAST = ["evaluator", "outsider", "trainer", "prescriber", "jury_member", "certifier"]


def _counts():
    return ReferentielVersion.objects.count(), Criterion.objects.count()


def _draft_from(version, client, certifier):
    """A certifier imports a CSV copy of a version as a new draft."""
    client.force_login(certifier)
    csv_file = SimpleUploadedFile("copie.csv", to_csv(version.to_spec()).encode(), "text/csv")
    client.post(
        reverse("referentiel:import"), {"certification": version.certification.pk, "label": "Copie", "file": csv_file}
    )
    return ReferentielVersion.objects.get(certification=version.certification, status="draft")


@pytest.mark.parametrize("name", CAST)
def test_active_version_readable_by_every_logged_in_role(client, cast, referentiels, name):
    client.force_login(cast[name])
    version = referentiels["CLEA"]
    assert client.get(reverse("referentiel:list")).status_code == 200
    response = client.get(reverse("referentiel:detail", args=[version.public_id]))
    assert response.status_code == 200
    assert response.context["spec"].counts() == (7, 28, 106)
    assert client.get(reverse("referentiel:export_json", args=[version.public_id])).status_code == 200


@pytest.mark.parametrize("name", CAST)
def test_draft_visible_to_certifier_only(client, cast, referentiels, name):
    draft = _draft_from(referentiels["CLEA"], client, cast["certifier"])
    client.force_login(cast[name])
    response = client.get(reverse("referentiel:detail", args=[draft.public_id]))
    assert response.status_code == (200 if name == "certifier" else 404)
    export = client.get(reverse("referentiel:export_csv", args=[draft.public_id]))
    assert export.status_code == (200 if name == "certifier" else 404)


@pytest.mark.parametrize("name", CAST)
def test_import_and_transitions_certifier_only(client, cast, referentiels, name):
    version = referentiels["CLEA"]
    client.force_login(cast[name])
    assert client.get(reverse("referentiel:import")).status_code == (200 if name == "certifier" else 403)
    response = client.post(reverse("referentiel:archive", args=[version.public_id]))
    assert response.status_code == (302 if name == "certifier" else 403)
    version.refresh_from_db()
    assert (version.status == VersionStatus.ARCHIVED) == (name == "certifier")


def test_anonymous_is_sent_to_login(client, referentiels):
    response = client.get(reverse("referentiel:list"))
    assert response.status_code == 302 and "connexion" in response.url


def test_activation_archives_previous_version_and_records_who(client, cast, referentiels):
    previous = referentiels["CLEA"]
    draft = _draft_from(previous, client, cast["certifier"])
    response = client.post(reverse("referentiel:activate", args=[draft.public_id]))
    assert response.status_code == 302
    draft.refresh_from_db()
    previous.refresh_from_db()
    assert draft.status == VersionStatus.ACTIVE and draft.activated_by == cast["certifier"]
    assert previous.status == VersionStatus.ARCHIVED and previous.archived_by == cast["certifier"]
    assert draft.number == previous.number + 1
    # The CSV import kept the rule profile of the previous version.
    assert draft.profile.to_spec() == previous.profile.to_spec()


def test_active_version_is_immutable(referentiels):
    criterion = Criterion.objects.filter(version=referentiels["CLEA"]).first()
    criterion.title = "Autre intitulé"
    with pytest.raises(ImmutableVersionError):
        criterion.save()
    with pytest.raises(ImmutableVersionError):
        criterion.delete()
    criterion.refresh_from_db()
    assert criterion.title != "Autre intitulé"


def test_second_activation_refused(client, cast, referentiels):
    client.force_login(cast["certifier"])
    version = referentiels["CLEA"]
    response = client.post(reverse("referentiel:activate", args=[version.public_id]), follow=True)
    assert "Seul un brouillon peut être mis en vigueur." in response.content.decode()


def test_delete_draft_only(client, cast, referentiels):
    draft = _draft_from(referentiels["CLEA"], client, cast["certifier"])
    before = Criterion.objects.count()
    client.post(reverse("referentiel:delete", args=[draft.public_id]))
    assert not ReferentielVersion.objects.filter(pk=draft.pk).exists()
    assert Criterion.objects.count() == before - 106
    client.post(reverse("referentiel:delete", args=[referentiels["CLEA"].public_id]))
    assert ReferentielVersion.objects.filter(pk=referentiels["CLEA"].pk).exists()


BROKEN_FILES = [
    ("broken.json", b'{"code": "CLEA", "domains": [', "JSON valide"),
    ("latin1.json", '{"code": "CLÉA"}'.encode("latin-1"), "UTF-8"),
    (
        "dup.csv",
        "kind,code,parent_code,title\ndomaine,1,,D\nsous-domaine,1.1,1,S\n"
        "critère,1.1.1,1.1,A\ncritère,1.1.1,1.1,B\n".encode(),
        "apparaît plusieurs fois",
    ),
    (
        "empty-title.csv",
        "kind,code,parent_code,title\ndomaine,1,,D\nsous-domaine,1.1,1,S\ncritère,1.1.1,1.1,\n".encode(),
        "intitulé du critère 1.1.1 est vide",
    ),
    (
        "orphan.csv",
        "kind,code,parent_code,title\ndomaine,1,,D\nsous-domaine,1.1,1,S\n"
        "critère,1.1.1,1.1,A\ncritère,9.9.1,9.9,B\n".encode(),
        "« 9.9 »",
    ),
    ("notes.txt", b"hello", "JSON ou CSV"),
]


@pytest.mark.parametrize(("filename", "content", "message"), BROKEN_FILES, ids=[f[0] for f in BROKEN_FILES])
def test_malformed_import_refused_and_changes_nothing(client, cast, referentiels, filename, content, message):
    client.force_login(cast["certifier"])
    before = _counts()
    response = client.post(
        reverse("referentiel:import"),
        {
            "certification": referentiels["CLEA"].certification.pk,
            "file": SimpleUploadedFile(filename, content),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert _counts() == before


def test_json_import_with_wrong_certification_refused(client, cast, referentiels):
    client.force_login(cast["certifier"])
    response = client.get(reverse("referentiel:export_json", args=[referentiels["CLEA"].public_id]))
    before = _counts()
    response = client.post(
        reverse("referentiel:import"),
        {
            "certification": referentiels["CLEA_NUMERIQUE"].certification.pk,
            "file": SimpleUploadedFile("clea.json", response.content),
        },
    )
    assert response.status_code == 400
    assert "pas CLEA_NUMERIQUE" in response.content.decode()
    assert _counts() == before


def test_compare_two_versions(client, cast, referentiels):
    previous = referentiels["CLEA"]
    client.force_login(cast["certifier"])
    csv_text = to_csv(previous.to_spec()).replace("Porter attention aux propos tenus", "Écouter avec attention")
    client.post(
        reverse("referentiel:import"),
        {
            "certification": previous.certification.pk,
            "file": SimpleUploadedFile("v2.csv", csv_text.encode()),
        },
    )
    draft = ReferentielVersion.objects.get(status="draft")
    response = client.get(reverse("referentiel:compare"), {"before": previous.public_id, "after": draft.public_id})
    changes = response.context["changes"]
    assert [(c.code, c.field, c.after) for c in changes] == [("1.1.1", "title", "Écouter avec attention")]


def test_detail_query_count_is_constant(client, cast, referentiels, django_assert_max_num_queries):
    client.force_login(cast["evaluator"])
    with django_assert_max_num_queries(12):
        client.get(reverse("referentiel:detail", args=[referentiels["CLEA"].public_id]))
