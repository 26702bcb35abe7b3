"""Name search on PostgreSQL: trigram indexes on the expressions ``icontains`` compares.

Django's ``icontains`` is ``UPPER(col::text) LIKE UPPER('%word%')``, which no B-tree can serve; a GIN
trigram index on the same expression can. PostgreSQL only (pg_trgm is a trusted extension: the
database owner creates it); SQLite keeps scanning, which is fine at a developer's size.
"""

from django.db import migrations

COLUMNS = ("birth_name", "usage_name", "first_names")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "candidate_{column}_trgm" ON "dossiers_candidate" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "candidate_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_text_length_limits")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
