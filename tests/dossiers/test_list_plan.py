"""The organisation's dossier list is an index range on its organisation, whatever the country's size.

The query itself is checked on every database (no DISTINCT, no join through training paths or jury
entries, only the columns shown); on PostgreSQL, EXPLAIN shows the dossier table read through an index
on the organisation, never scanned whole.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dossiers.builders import open_dossier

pytestmark = pytest.mark.django_db


def list_query(client, s):
    open_dossier(s, birth_name="Martin")
    client.force_login(s["evaluator"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dossiers:list")).status_code == 200
    # The page itself (the count is a separate, capped query): it is the one ordered by date.
    page = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "dossiers_dossier"."id"')]
    assert len(page) == 1, [q["sql"] for q in queries.captured_queries]
    assert "ORDER BY" in page[0] and "LIMIT" in page[0]
    return page[0]


def test_list_query_is_narrow_and_index_friendly(client, path_setting):
    sql = list_query(client, path_setting)
    assert "DISTINCT" not in sql
    assert "training_trainingpath" not in sql and "jury_sessiondossier" not in sql
    assert '"evaluator_organisation_id" IN' in sql or '"evaluator_organisation_id" =' in sql
    # Columns the list does not show stay in the table.
    for column in ("consent_at", "address_line1", "birth_date", "identity_key"):
        assert column not in sql


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN (FORMAT JSON) is PostgreSQL's")
def test_list_plan_reads_the_organisation_through_its_index(client, path_setting):
    sql = list_query(client, path_setting)
    with connection.cursor() as cursor:
        # A test database is tiny: without this PostgreSQL scans it whole because that is cheaper there.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    dossier_nodes = [n for n in nodes(plan[0]["Plan"]) if n.get("Relation Name") == "dossiers_dossier"]
    assert dossier_nodes
    for node in dossier_nodes:
        assert node["Node Type"] != "Seq Scan", plan
        assert "evaluator_organisation_id" in node.get("Index Cond", "") + node.get("Recheck Cond", ""), plan
