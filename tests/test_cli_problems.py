"""The ``kaifaqu`` command says an operator's setup mistake in one line, exit 2, no traceback."""

import os
import subprocess
import sys
from pathlib import Path


def kaifaqu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAIFAQU_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "kaifaqu", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 2
    assert result.stderr == f"kaifaqu: {expected}\n"


def test_a_missing_production_setting_is_one_line_naming_it():
    result = kaifaqu("check", env={"KAIFAQU_ALLOWED_HOSTS": "kaifaqu.example.gov.cn"})
    assert_one_line(
        result,
        "设置缺失或有误:Set the KAIFAQU_SECRET_KEY environment variable"
        "(生产环境请设置该环境变量;开发时可设 KAIFAQU_DEBUG=true)",
    )


def test_a_database_folder_that_does_not_exist_is_named(tmp_path: Path):
    missing = tmp_path / "nowhere"
    result = kaifaqu(
        "import",
        "x.csv",
        "--kind",
        "zones",
        env={"KAIFAQU_DEBUG": "true", "KAIFAQU_VAR_DIR": str(missing)},
    )
    assert_one_line(
        result,
        f"无法打开数据库文件 {missing / 'kaifaqu.sqlite3'}:请确认目录 {missing} 存在且可写"
        "(或用 KAIFAQU_VAR_DIR / DATABASE_URL 指向别处),然后运行 kaifaqu migrate",
    )
    assert not missing.exists()


def test_a_database_not_migrated_yet_asks_for_migrate(tmp_path: Path):
    result = kaifaqu(
        "import",
        "x.csv",
        "--kind",
        "zones",
        env={"KAIFAQU_DEBUG": "true", "KAIFAQU_VAR_DIR": str(tmp_path)},
    )
    assert_one_line(result, "数据库尚未初始化(缺少数据表 auth_user):请先运行 kaifaqu migrate")


def test_an_unreachable_database_server_is_named():
    # port 9 (discard) has no PostgreSQL behind it on any of our machines
    result = kaifaqu(
        "import",
        "x.csv",
        "--kind",
        "zones",
        env={"KAIFAQU_DEBUG": "true", "DATABASE_URL": "postgres://postgres@127.0.0.1:9/kaifaqu"},
    )
    assert_one_line(
        result, "无法连接数据库 127.0.0.1:9/kaifaqu:请检查 DATABASE_URL 和数据库服务是否在运行"
    )
