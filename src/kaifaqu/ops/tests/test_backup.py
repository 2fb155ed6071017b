"""Backups that restore: a small province backed up, restored into a fresh database, equal in every
table's rows; a non-empty database and a damaged backup are refused, changing nothing."""

import hashlib
import json
from contextlib import closing

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kaifaqu.ops.backup import CHECKSUMS, MANIFEST, BackupError, Database, backup, restore

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def contents(database: Database) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows (in a stable order)."""
    found = {}
    with closing(database.connect()) as db:
        for table in database.tables():
            rows = sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"').fetchall())
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


@pytest.fixture
def fresh(tmp_path):
    """An empty database of the test database's kind, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield Database({**source, "NAME": str(tmp_path / "restored.sqlite3")})
        return
    name = f"{source['NAME']}_restored"
    with closing(Database(source).connect()) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield Database({**source, "NAME": name})
    with closing(Database(source).connect()) as db:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = settings.MEDIA_ROOT / "jobs" / "2026" / "12" / "报告.xlsx"
    report.parent.mkdir(parents=True)
    report.write_bytes(b"generated report")
    return settings.MEDIA_ROOT


def test_a_province_backed_up_restores_equal_into_a_fresh_database(
    province, media, fresh, tmp_path
):
    source = Database(connection.settings_dict)
    target = tmp_path / "backup"

    call_command("backup", str(target))
    restore(target, fresh, tmp_path / "restored-media")

    before, after = contents(source), contents(fresh)
    assert after == before
    assert before["enterprises_enterprise"][0] == 5
    assert before["enterprises_enterpriseyear"][0] == 10
    assert (
        tmp_path / "restored-media" / "jobs/2026/12/报告.xlsx"
    ).read_bytes() == b"generated report"
    manifest = json.loads((target / MANIFEST).read_text())
    assert manifest["tables"] == {table: count for table, (count, _) in before.items()}
    assert "files/jobs/2026/12/报告.xlsx" in manifest["files"]
    assert (target / CHECKSUMS).read_text().count("\n") == len(manifest["files"])


def test_restore_refuses_a_non_empty_database_and_changes_nothing(province, media, tmp_path):
    target = tmp_path / "backup"
    backup(target, Database(connection.settings_dict), media)
    before = contents(Database(connection.settings_dict))

    with pytest.raises(CommandError, match=r"不是空的\(已有 \d+ 张数据表\):恢复只写入空数据库"):
        call_command("restore", str(target))

    assert contents(Database(connection.settings_dict)) == before


def test_a_damaged_backup_is_refused_before_anything_is_written(province, media, fresh, tmp_path):
    target = tmp_path / "backup"
    backup(target, Database(connection.settings_dict), media)
    (target / "files/jobs/2026/12/报告.xlsx").write_bytes(b"changed")

    with pytest.raises(BackupError, match=r"校验和不符.*files/jobs/2026/12/报告\.xlsx"):
        restore(target, fresh, tmp_path / "restored-media")

    assert fresh.tables() == []
    assert not (tmp_path / "restored-media").exists()


def test_backup_refuses_a_folder_that_is_not_empty(province, media, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")

    with pytest.raises(BackupError, match="已存在且不是空的"):
        backup(tmp_path / "old", Database(connection.settings_dict), media)
