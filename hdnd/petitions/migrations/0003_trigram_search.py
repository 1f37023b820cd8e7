"""Trigram indexes for duplicate suggestions (petitions/duplicates.py) on PostgreSQL.

`search_text` is already folded to ASCII by lib/vietnamese.py, so the indexes work the
same under any UTF-8 locale. SQLite has no pg_trgm: the embedded default matches words
with LIKE instead, and this migration does nothing there.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SEARCH_TABLES = ["petitions_petition", "petitions_voteritem"]


def add_trigram_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in SEARCH_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
            f"ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: the directory's search indexes use it too.
    for table in SEARCH_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_standard_fields")]

    operations = [migrations.RunPython(add_trigram_indexes, drop_trigram_indexes)]
