"""``kaifaqu policy extract``: exit 0 written, 1 refused with the reason, 2 wrong usage."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kaifaqu.cli import main

from .files import write_pdf

DOCUMENT = (
    "一、任务\n(一)提高利用外资质量。到2025年,全市规上工业企业达到6000家。"
    "(牵头单位:市商务局;责任单位:市发改委、市财政局)\n"
    "(二)指导思想。坚持创新驱动。\n"
    "(三)6月底前完成改造。(责任单位:市工信局)\n"
)


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


def test_the_task_table_is_written_as_xlsx(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "tasks.xlsx"
    assert (
        main(["policy", "extract", str(policy), "--issued", "2022-04-02", "-o", str(output)]) == 0
    )
    assert capsys.readouterr().err == f"已写入 {output}:2 项任务\n"
    rows = list(openpyxl.load_workbook(output).active.iter_rows(values_only=True))
    first_start = DOCUMENT.index("(一)") + 1
    first_end = DOCUMENT.index("市财政局)") + 5
    third_start = DOCUMENT.index("(三)") + 1
    assert rows == [
        ("措施编号", "措施", "牵头单位", "配合单位", "时限", "目标", "原文位置"),
        (
            "一/(一)",
            "提高利用外资质量",
            "市商务局",
            "市发改委、市财政局",
            "2025年12月31日前",
            "全市规上工业企业≥6000家",
            f"第{first_start}–{first_end}字",
        ),
        (
            "一/(三)",
            "6月底前完成改造",
            "市工信局",
            "",
            "2022年6月30日前",
            "",
            f"第{third_start}–{len(DOCUMENT) - 1}字",
        ),
    ]


def test_the_task_table_is_written_as_json(policy: Path, tmp_path: Path) -> None:
    output = tmp_path / "tasks.json"
    assert main(["policy", "extract", str(policy), "-o", str(output)]) == 0
    written = json.loads(output.read_text(encoding="utf-8"))
    assert (written["title"], written["issued"]) == ("", None)
    first, third = written["measures"]
    assert first["path"] == "一/(一)"
    assert first["units"] == [
        {"name": name, "role": role, "span": {"start": at, "end": at + 4}}
        for name, role, at in [
            ("市商务局", "lead", DOCUMENT.index("市商务局")),
            ("市发改委", "support", DOCUMENT.index("市发改委")),
            ("市财政局", "support", DOCUMENT.index("市财政局")),
        ]
    ]
    target_at = DOCUMENT.index("全市规上")
    assert first["targets"] == [
        {
            "indicator": "全市规上工业企业",
            "comparator": ">=",
            "value": "6000",
            "unit": "家",
            "text": "全市规上工业企业达到6000家",
            "span": {"start": target_at, "end": target_at + len("全市规上工业企业达到6000家")},
        }
    ]
    # With no date of issue, "6月底前" cannot be dated: the task stands with no deadline.
    assert third["deadlines"] == [
        {"kind": "standing", "due": None, "recurrence": None, "span": third["span"]}
    ]


def test_an_unreadable_document_is_refused_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = write_pdf(tmp_path / "scan.pdf", [])
    output = tmp_path / "tasks.json"
    assert main(["policy", "extract", str(scan), "-o", str(output)]) == 1
    assert capsys.readouterr().err == (
        "kaifaqu policy: PDF 文件 scan.pdf 中几乎没有可提取的文字,可能是扫描件:"
        "请提供文字版 PDF、Word 或文本文件\n"
    )
    assert not output.exists()


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["extract", "policy.txt"], "错误:the following arguments are required: -o/--output"),
        (["extract", "policy.txt", "-o", "tasks.csv"], "错误:结果文件须为 .xlsx 或 .json"),
        (
            ["extract", "policy.txt", "--issued", "2022-13-01", "-o", "tasks.json"],
            "错误:argument --issued: 日期应为 YYYY-MM-DD:2022-13-01",
        ),
        ([], "错误:缺少子命令 extract"),
    ],
)
def test_wrong_usage_exits_2(
    arguments: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", *arguments]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "用法:kaifaqu policy extract FILE [--issued YYYY-MM-DD] -o TASKS.xlsx|TASKS.json",
        problem,
    ]


def test_the_command_runs_without_django_or_a_database(policy: Path, tmp_path: Path) -> None:
    output = tmp_path / "tasks.json"
    code = (
        "import sys; from kaifaqu.cli import main; "
        f"status = main(['policy', 'extract', {str(policy)!r}, '-o', {str(output)!r}]); "
        "assert not any(m.startswith('django') for m in sys.modules); sys.exit(status)"
    )
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "no.such.settings"}
    subprocess.run([sys.executable, "-c", code], check=True, env=environment)
    assert json.loads(output.read_text(encoding="utf-8"))["measures"][0]["path"] == "一/(一)"
