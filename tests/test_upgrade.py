"""Upgrading an installation of the previous release in place, as deploy/README.md tells the IT
department: the previous release's code (its commit in `RELEASES`, checked out in a worktree from
the repository's own history, with its own environment from its lock file) migrates a PostgreSQL
database and builds a demo province in it; `kaifaqu backup`; then this checkout's `kaifaqu
migrate`. Every table keeps its rows and the yearly figures keep their checksum.

It takes two to four minutes (an environment, a small demo province, two migrations), so the suites
skip it and `.ci/run` runs it once after them: `KAIFAQU_UPGRADE_CHECK=true DATABASE_URL=postgres://…
.venv/bin/pytest tests/test_upgrade.py`.
"""

import os
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import environ
import pytest

from kaifaqu.ops.backup import Database

ROOT = Path(__file__).resolve().parent.parent
# Tables the new release's data migrations and post-migrate signals may add rows to (reference
# data: new job schedules, item kinds, content types and permissions of new models); they may
# grow, never shrink. Every other table keeps its row count exactly.
SEEDED_BY_MIGRATIONS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "jobs_schedule",
    # reference data that data migrations add to: the importer's header aliases of the
    # vocabulary, the default escalation rules (a bureau's own rows stay as they are)
    "intake_headeralias",
    "supervision_escalationrule",
}
YEARLY_FIGURES = ("enterprises_enterpriseyear", "zones_zoneyear")
DEMO_ENTERPRISES = 300


def previous_release() -> tuple[str, str]:
    """The newest released entry of RELEASES (the one in preparation has `-`)."""
    for line in (ROOT / "RELEASES").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            version, commit = line.split()
            if commit != "-":
                return version, commit
    raise AssertionError("RELEASES names no released version to upgrade from")


@pytest.fixture
def database() -> Iterator[Database]:
    if os.environ.get("KAIFAQU_UPGRADE_CHECK") != "true":
        pytest.skip("set KAIFAQU_UPGRADE_CHECK=true (and a PostgreSQL DATABASE_URL) to run it")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.fail("the upgrade check runs on PostgreSQL: set DATABASE_URL=postgres://…")
    server = Database(environ.Env.db_url_config(url))
    name = f"kaifaqu_upgrade_{os.getpid()}"
    with closing(server.connect()) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield Database({**server.settings, "NAME": name})
    with closing(server.connect()) as db:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def previous(tmp_path: Path) -> Iterator[Path]:
    """The previous release's checkout with its own environment."""
    _, commit = previous_release()
    checkout = tmp_path / "previous"
    run(["git", "worktree", "add", "--detach", str(checkout), commit], cwd=ROOT)
    try:
        run([str(ROOT / ".tools" / "bin" / "uv"), "sync", "--frozen", "--no-dev"], cwd=checkout)
        yield checkout
    finally:
        run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT)


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def kaifaqu(checkout: Path, database: Database, var: Path, *arguments: str) -> str:
    url = "postgres://{user}@{host}:{port}/{dbname}".format(**database.libpq())
    env = {**os.environ, "KAIFAQU_DEBUG": "true", "DATABASE_URL": url, "KAIFAQU_VAR_DIR": str(var)}
    return run([str(checkout / ".venv" / "bin" / "kaifaqu"), *arguments], cwd=checkout, env=env)


def yearly_checksums(database: Database, columns: dict[str, list[str]]) -> dict[str, str]:
    """An md5 per table over the given columns of every row, in key order."""
    found = {}
    with closing(database.connect()) as db:
        for table, names in columns.items():
            fields = ", ".join(f'"{name}"' for name in names)
            found[table] = db.execute(
                f"SELECT md5(string_agg(row({fields})::text, ',' ORDER BY id)) FROM \"{table}\""
            ).fetchone()[0]
    return found


def columns_of(database: Database, tables: tuple[str, ...]) -> dict[str, list[str]]:
    with closing(database.connect()) as db:
        return {
            table: [
                name
                for (name,) in db.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = %s ORDER BY ordinal_position",
                    (table,),
                ).fetchall()
            ]
            for table in tables
        }


def test_the_previous_release_upgrades_in_place_keeping_every_row(database, previous, tmp_path):
    var = tmp_path / "var"
    kaifaqu(previous, database, var, "migrate", "--noinput")
    kaifaqu(
        previous, database, var, "demo-data", "--reset", "--no-national", "--evaluations",
        "--enterprises", str(DEMO_ENTERPRISES),
    )  # fmt: skip
    kaifaqu(previous, database, var, "worker", "--batch")
    kaifaqu(previous, database, var, "run-job", "zone_summaries")
    before = database.row_counts()
    columns = columns_of(database, YEARLY_FIGURES)
    checksums = yearly_checksums(database, columns)
    assert before["enterprises_enterprise"] == DEMO_ENTERPRISES
    assert all(checksums.values())

    kaifaqu(previous, database, var, "backup", str(tmp_path / "backup"))
    kaifaqu(ROOT, database, var, "migrate", "--noinput")

    after = database.row_counts()
    changed = {t: (before[t], after[t]) for t in before if after.get(t) != before[t]}
    assert {t: n for t, n in changed.items() if t not in SEEDED_BY_MIGRATIONS} == {}
    assert all(new >= old for old, new in changed.values())
    assert yearly_checksums(database, columns) == checksums
    assert "[ ]" not in kaifaqu(ROOT, database, var, "showmigrations")
