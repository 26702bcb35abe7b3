"""Management commands: loading is idempotent; import refuses bad files and writes nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from clea.referentiel.models import Certification, Criterion, ReferentielVersion, VersionStatus

pytestmark = pytest.mark.django_db


def test_load_referentiels_is_idempotent():
    call_command("load_referentiels", stdout=io.StringIO())
    counts = (ReferentielVersion.objects.count(), Criterion.objects.count())
    out = io.StringIO()
    call_command("load_referentiels", stdout=out)
    assert (ReferentielVersion.objects.count(), Criterion.objects.count()) == counts == (2, 110)
    assert out.getvalue().count("déjà chargé") == 2
    numerique = ReferentielVersion.objects.get(certification__code="CLEA_NUMERIQUE")
    assert numerique.provisional and numerique.status == VersionStatus.ACTIVE
    assert numerique.to_spec().counts() == (4, 4, 4)


def test_export_then_import_round_trip(tmp_path, referentiels):
    out = io.StringIO()
    call_command("export_referentiel", "CLEA", stdout=out)
    exported = json.loads(out.getvalue())
    assert exported["counts"] == {"domains": 7, "subdomains": 28, "criteria": 106}
    path = tmp_path / "clea.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    call_command("import_referentiel", str(path), stdout=io.StringIO())
    draft = ReferentielVersion.objects.get(certification__code="CLEA", status="draft")
    assert draft.to_spec().domains == referentiels["CLEA"].to_spec().domains


def test_import_command_refuses_bad_file(tmp_path, referentiels):
    path = tmp_path / "bad.json"
    data = {
        "code": "CLEA",
        "name": "CléA",
        "counts": {"criteria": 3},
        "domains": [
            {
                "code": "1",
                "title": "D",
                "subdomains": [{"code": "1.1", "title": "", "criteria": [{"code": "1.1.1", "title": "C"}]}],
            }
        ],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    before = (ReferentielVersion.objects.count(), Criterion.objects.count())
    with pytest.raises(CommandError) as error:
        call_command("import_referentiel", str(path))
    message = str(error.value)
    assert "intitulé du sous-domaine 1.1 est vide" in message
    assert "annonce 3 critères mais en contient 1" in message
    assert (ReferentielVersion.objects.count(), Criterion.objects.count()) == before


def test_csv_needs_certification(tmp_path, referentiels):
    path = tmp_path / "x.csv"
    path.write_text("kind,code,parent_code,title\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--certification"):
        call_command("import_referentiel", str(path))


def test_new_certification_is_data(tmp_path):
    """CléA Management can arrive as a file, without code changes (docs/rules.md rule 3)."""
    path = tmp_path / "management.json"
    path.write_text(
        json.dumps(
            {
                "code": "CLEA_MANAGEMENT",
                "name": "CléA Management",
                "domains": [
                    {
                        "code": "1",
                        "title": "Manager",
                        "subdomains": [
                            {
                                "code": "1.1",
                                "title": "Animer",
                                "criteria": [{"code": "1.1.1", "title": "Animer une équipe"}],
                            }
                        ],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    call_command("import_referentiel", str(path), stdout=io.StringIO())
    assert Certification.objects.filter(code="CLEA_MANAGEMENT").exists()
