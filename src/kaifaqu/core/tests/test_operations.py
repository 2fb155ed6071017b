import pytest
from django.db import NotSupportedError, connection, models
from django.db.migrations import Migration
from django.db.migrations.loader import MigrationLoader

from kaifaqu.core.operations import AddIndexConcurrently

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
INDEX = "test_year_tax"


def migration(atomic: bool) -> Migration:
    index = models.Index(fields=["year", "tax_paid"], name=INDEX)
    built = Migration("test_index", "enterprises")
    built.operations = [AddIndexConcurrently("enterpriseyear", index)]
    built.atomic = atomic
    return built


def indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "enterprises_enterpriseyear")
    return {name for name, details in found.items() if details["index"]}


def test_the_index_is_built_and_dropped_on_this_database_outside_a_transaction():
    # Given the project's state and a non-atomic migration adding an index
    state = MigrationLoader(connection).project_state()
    adding = migration(atomic=False)
    # When it is applied, then the yearly table has the index; unapplied, it has not
    with connection.schema_editor(atomic=False) as editor:
        after = adding.apply(state.clone(), editor)
    assert INDEX in indexes()
    with connection.schema_editor(atomic=False) as editor:
        adding.unapply(after, editor)
    assert INDEX not in indexes()


def test_an_atomic_migration_is_refused_and_builds_nothing():
    state = MigrationLoader(connection).project_state()
    with (
        pytest.raises(NotSupportedError, match="atomic = False"),
        connection.schema_editor(atomic=True) as editor,
    ):
        migration(atomic=True).apply(state, editor)
    assert INDEX not in indexes()
