from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension
from django.db import migrations

# Trigram indexes make `search_text LIKE '%...%'` fast on PostgreSQL. search_text is
# already folded to ASCII by lib/vietnamese.py, so the server's locale does not matter.
SEARCH_TABLES = [
    "councils_person",
    "councils_administrativeunit",
    "councils_council",
    "councils_committee",
    "councils_agency",
]

OVERLAP_SQL = """
ALTER TABLE councils_membership ADD CONSTRAINT membership_no_overlap
    EXCLUDE USING gist (
        person_id WITH =, council_id WITH =,
        daterange(start_date, end_date, '[]') WITH &&
    );
ALTER TABLE councils_term ADD CONSTRAINT term_no_overlap
    EXCLUDE USING gist (council_id WITH =, daterange(start_date, end_date, '[)') WITH &&);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCH_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
            f"ON {table} USING gin (search_text gin_trgm_ops)"
        )
    schema_editor.execute(OVERLAP_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCH_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")
    schema_editor.execute(
        "ALTER TABLE councils_membership DROP CONSTRAINT IF EXISTS membership_no_overlap;"
        "ALTER TABLE councils_term DROP CONSTRAINT IF EXISTS term_no_overlap;"
    )


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [
        TrigramExtension(),
        BtreeGistExtension(),
        migrations.RunPython(forwards, backwards),
    ]
