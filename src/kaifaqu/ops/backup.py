"""Backups that restore: the database and the files under ``MEDIA_ROOT``, with a manifest.

A backup folder holds ``database.dump`` (pg_dump's custom format) or ``database.sqlite3``
(SQLite's online backup API: consistent while the server writes), ``files/`` (uploads and
generated files, as they lie under ``MEDIA_ROOT``), ``manifest.json`` (version, time, database,
each table's row count, each file's size and SHA-256) and ``SHA256SUMS`` (for ``sha256sum -c``).
The static files are not kept: the server collects them again at start.

A restore checks every checksum first, writes only into an empty database and an empty files
folder, restores in one transaction, and compares the row counts with the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
FILES = "files"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT = 1


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """One database as Django's settings describe it, reached without Django's connection, so a
    restore can check and fill a database the server is not using."""

    settings: dict[str, Any]

    @property
    def vendor(self) -> str:
        return "sqlite" if self.settings["ENGINE"].endswith("sqlite3") else "postgresql"

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(self.name, uri=self.name.startswith("file:"))
        return psycopg.connect(make_conninfo("", **self.libpq()), autocommit=True)

    def libpq(self) -> dict[str, str]:
        given = {
            "host": self.settings.get("HOST"),
            "port": self.settings.get("PORT"),
            "user": self.settings.get("USER"),
            "password": self.settings.get("PASSWORD"),
            "dbname": self.name,
        }
        return {key: str(value) for key, value in given.items() if value}

    def libpq_environment(self) -> dict[str, str]:
        """The connection for pg_dump and pg_restore: the password in the environment, never on
        the command line where ``ps`` shows it."""
        names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
        given = self.libpq()
        return {**os.environ, **{names[k]: v for k, v in given.items() if k in names}}

    def tables(self) -> list[str]:
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            if self.vendor == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
        with closing(self.connect()) as db:
            return sorted(row[0] for row in db.execute(query).fetchall())

    def row_counts(self) -> dict[str, int]:
        with closing(self.connect()) as db:
            return {
                table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in self.tables()
            }


def backup(target: Path, database: Database, media_root: Path) -> dict[str, Any]:
    """Write a backup of ``database`` and ``media_root`` into the new folder ``target``."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"备份目录 {target} 已存在且不是空的:请指定一个新目录")
    target.mkdir(parents=True, exist_ok=True)
    dump = target / DUMPS[database.vendor]
    _dump(database, dump)
    if media_root.is_dir():
        shutil.copytree(media_root, target / FILES)
    else:
        (target / FILES).mkdir()
    files = {path: _describe(target / path) for path in _contents(target)}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kaifaqu": version("kaifaqu"),
        "database": {"vendor": database.vendor, "dump": dump.name},
        "tables": database.row_counts(),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    (target / CHECKSUMS).write_text(
        "".join(f"{entry['sha256']}  {path}\n" for path, entry in files.items())
    )
    return manifest


def restore(source: Path, database: Database, media_root: Path) -> dict[str, Any]:
    """Restore the backup in ``source`` into the empty ``database`` and ``media_root``."""
    manifest = verify(source)
    if manifest["database"]["vendor"] != database.vendor:
        raise BackupError(
            f"备份来自 {manifest['database']['vendor']} 数据库,不能恢复到 {database.vendor} 数据库"
        )
    if existing := database.tables():
        raise BackupError(
            f"数据库 {database.name} 不是空的(已有 {len(existing)} 张数据表):恢复只写入空数据库,"
            "以免覆盖现有数据。请新建一个空数据库并让 DATABASE_URL 指向它,再运行 kaifaqu restore"
        )
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(
            f"文件目录 {media_root} 不是空的:恢复只写入空目录。"
            "请移走其中的文件后再运行 kaifaqu restore"
        )
    _load(database, source / manifest["database"]["dump"])
    shutil.copytree(source / FILES, media_root, dirs_exist_ok=True)
    if (counts := database.row_counts()) != manifest["tables"]:
        differ = sorted(
            t
            for t in counts.keys() | manifest["tables"].keys()
            if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(f"恢复后的行数与备份清单不一致:{', '.join(differ)}")
    return manifest


def verify(source: Path) -> dict[str, Any]:
    """The manifest of the backup in ``source``, once every file in it is checked."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} 不是 Kaifaqu 备份目录(缺少 {MANIFEST})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 无法识别(本版本读取格式 {FORMAT})")
    listed = manifest["files"]
    if missing := sorted(set(listed) - set(_contents(source))):
        raise BackupError(f"备份不完整,缺少文件:{', '.join(missing[:5])}")
    if damaged := [p for p, entry in listed.items() if _describe(source / p) != entry]:
        raise BackupError(f"备份文件已损坏(校验和不符):{', '.join(damaged[:5])}")
    return manifest


def _dump(database: Database, dump: Path) -> None:
    if database.vendor == "sqlite":
        with closing(database.connect()) as source, closing(sqlite3.connect(dump)) as copy:
            source.backup(copy)
        return
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", database.name], database)


def _load(database: Database, dump: Path) -> None:
    if database.vendor == "sqlite":
        with closing(sqlite3.connect(dump)) as copy, closing(database.connect()) as target:
            copy.backup(target)
        return
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database.name}",
            str(dump),
        ],
        database,
    )


def _run(command: list[str], database: Database) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"找不到 {command[0]}:请安装与数据库服务器同一主版本的 PostgreSQL 客户端"
            "(postgresql-client)"
        )
    done = subprocess.run(
        command, env=database.libpq_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败:{done.stderr.strip()}")


def _contents(folder: Path) -> Iterator[str]:
    """The backup's files relative to it, without the manifest and checksums describing them."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in (MANIFEST, CHECKSUMS):
            yield relative


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}
