"""No spreadsheet cell the platform writes can run a formula; amounts stay numbers."""

import csv
import io
from fractions import Fraction

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clea.funding.services import add_funding_line
from clea.lib.exports import SafeWriter, neutralise, restore
from clea.referentiel.documents import parse_csv, to_csv
from clea.referentiel.structure import CriterionSpec, DomainSpec, ReferentielSpec, SubdomainSpec
from tests.dossiers.builders import dossier_in_training


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+A1*2", "'+A1*2"),
        ("+33 6 00", "+33 6 00"),  # a number to any spreadsheet, never code
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-12,50", "-12,50"),
        ("1 200,00 €", "1 200,00 €"),
        ("Durand", "Durand"),
        ("", ""),
        (42, 42),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_the_writer_neutralises_every_cell():
    out = io.StringIO()
    SafeWriter(out, delimiter=";", lineterminator="\n").writerow(["=1+1", "ok", 3])
    assert out.getvalue() == "'=1+1;ok;3\n"


@pytest.mark.django_db
def test_the_funding_export_neutralises_the_candidates_name(client, path_setting):
    s = path_setting
    dossier, _ = dossier_in_training(s)
    dossier.candidate.first_names = '=HYPERLINK("http://x")'
    dossier.candidate.save()
    add_funding_line(
        dossier, step="evaluation", scheme="cpf", funder="CDC", amount=10, state="agreed", by=s["evaluator"]
    )
    client.force_login(s["evaluator"])
    row = client.get(reverse("funding:export")).content.decode("utf-8").splitlines()[1]
    assert ";'=HYPERLINK(" in row.replace('"', "")


@given(st.text())
def test_restore_gives_back_what_neutralise_protected(text):
    assert restore(neutralise(text)) == text
    assert neutralise(text)[:1] not in ("=", "@")


def test_the_referentiel_export_neutralises_titles_and_reads_them_back():
    spec = ReferentielSpec(
        certification_code="X",
        certification_name="Certif X",
        label="",
        source="",
        domains=(
            DomainSpec(
                code="1",
                title="@SUM(A1)",
                subdomains=(
                    SubdomainSpec(
                        code="1.1",
                        title="Lire",
                        criteria=(CriterionSpec("1.1.1", '=HYPERLINK("http://x")', "-cmd|' /C calc'!A0"),),
                        threshold_percent=Fraction(50),
                    ),
                ),
            ),
        ),
    )
    rows = list(csv.reader(io.StringIO(to_csv(spec))))
    assert rows[1][3] == "'@SUM(A1)"
    assert (rows[3][3], rows[3][4]) == ('\'=HYPERLINK("http://x")', "'-cmd|' /C calc'!A0")
    assert parse_csv(to_csv(spec), certification_code="X", certification_name="Certif X").spec.domains == spec.domains
