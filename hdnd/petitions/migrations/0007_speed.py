"""Speed over a large council, on PostgreSQL; nothing on SQLite (see docs/benchmarks.md).

Duplicate suggestions (petitions/duplicates.py): the trigram indexes of 0003 take new
rows into a pending list, merged into the index by vacuum or once it outgrows
`gin_pending_list_limit` (4 MB by default: some 1,500 petitions). Every lookup reads the
whole pending list: over 100,000 petitions a full one made a lookup through the index
take 200 ms instead of 10. Kept to 256 kB (some 120 petitions), it costs a lookup at most
a few ms; inserting rows merges it in smaller batches, which made an import of 100,000
rows about 2 s longer (64 kB: 7 s).

The dashboard (queries/dashboard.py): its figures group the council's petitions by the
columns that decide them. An index holding those columns lets PostgreSQL read it alone
(an index-only scan, once vacuum has marked the table's pages all-visible) instead of
every petition's row with its texts: over 100,000 petitions a grouping takes about half
the time. Declared here rather than in the model, like the trigram indexes: SQLite has
no index with non-key columns (INCLUDE).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TRIGRAM_INDEXES = ["petitions_petition_search_trgm", "petitions_voteritem_search_trgm"]
PENDING_LIST_KB = 256
FIGURES_INDEX = "petition_council_figures"
# Every column queries/dashboard.py reads from a petition in scope: the key narrows to
# the council and its statuses in scope, the rest are read from the index.
FIGURES_COLUMNS = (
    "lead_agency_id",
    "field_id",
    "unit_id",
    "level",
    "result",
    "verdict",
    "answered_on_time",
    "due_on",
    "is_questioning_topic",
    "raised_in_id",
    "current_cycle_id",
    "item_count",
    "voter_count",
)


def speed_up(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"ALTER INDEX IF EXISTS {index} SET (gin_pending_list_limit = {PENDING_LIST_KB})"
        )
        # What is pending already goes into the index now.
        schema_editor.execute(
            "SELECT gin_clean_pending_list(oid) FROM pg_class WHERE oid = to_regclass(%s)",
            [index],
        )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {FIGURES_INDEX} ON petitions_petition "
        f"(council_id, status) INCLUDE ({', '.join(FIGURES_COLUMNS)})"
    )


def slow_down(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in TRIGRAM_INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (gin_pending_list_limit)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {FIGURES_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_leftovers")]

    operations = [migrations.RunPython(speed_up, slow_down)]
