"""Migration operations for big tables (docs/new-module.md, "Migrations on big tables")."""

from typing import Any

from django.contrib.postgres import operations as postgres
from django.db import migrations


class AddIndexConcurrently(postgres.AddIndexConcurrently):
    """Django's ``AddIndexConcurrently`` on PostgreSQL (CREATE INDEX CONCURRENTLY: writers go on
    while the index is built), the plain ``AddIndex`` on other databases, which build no index
    concurrently and on which Django's would fail. Refused in an atomic migration on every
    database, so that a migration that passes its tests on SQLite runs on PostgreSQL."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            self._ensure_not_in_transaction(schema_editor)
            migrations.AddIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state
            )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            self._ensure_not_in_transaction(schema_editor)
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )
