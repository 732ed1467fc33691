"""Trigram indexes for the agents' substring search, on PostgreSQL only.

The admin search matches words with icontains, which Django writes as
UPPER(column::text) LIKE UPPER('%word%'). A GIN index with pg_trgm on the
same expression serves such a LIKE despite the leading wildcard. pg_trgm is
a trusted extension from PostgreSQL 13 on, so the database owner may create
it. SQLite gets no index and scans.
"""

from django.db import migrations

INDEXES = {
    "tickets_comment_body_trgm": ("tickets_comment", "UPPER(body::text)"),
    "tickets_ticket_summary_trgm": ("tickets_ticket", "UPPER(summary::text)"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_agents_see_notifications")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
