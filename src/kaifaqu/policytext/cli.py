"""``kaifaqu policy extract FILE [--issued YYYY-MM-DD] -o TASKS.xlsx|TASKS.json``: no database.

Exit status: 0 written; 1 the document refused (the reason on stderr); 2 wrong usage.
"""

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from kaifaqu.core.sheets import write_xlsx

from .errors import UnreadableDocument
from .export import HEADERS, as_json, rows
from .extraction import extract
from .reading import read_document

USAGE = "kaifaqu policy extract FILE [--issued YYYY-MM-DD] -o TASKS.xlsx|TASKS.json"


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(message)


def _issued(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD:{text}") from error


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kaifaqu policy", usage=USAGE, description="从政策文件中提取任务(离线)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    command = commands.add_parser("extract", usage=USAGE, help="提取一个文件中的任务")
    command.add_argument("file", type=Path, help="政策文件 .txt/.docx/.pdf")
    command.add_argument("--issued", type=_issued, help="发文日期(文中未写明时用于推算时限)")
    command.add_argument("-o", "--output", type=Path, required=True, help="任务表 .xlsx 或 .json")
    return parser


def _usage(problem: str) -> int:
    print(f"用法:{USAGE}\n错误:{problem}", file=sys.stderr)
    return 2


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except _Usage as error:
        return _usage(str(error))
    if args.command != "extract":
        return _usage("缺少子命令 extract")
    suffix = args.output.suffix.lower()
    if suffix not in (".xlsx", ".json"):
        return _usage("结果文件须为 .xlsx 或 .json")
    try:
        document = extract(read_document(args.file), issued=args.issued)
    except UnreadableDocument as error:
        print(f"kaifaqu policy: {error}", file=sys.stderr)
        return 1
    try:
        if suffix == ".json":
            content = json.dumps(as_json(document), ensure_ascii=False, indent=2)
            args.output.write_text(content + "\n", encoding="utf-8")
        else:
            write_xlsx("任务分解表", HEADERS, rows(document), str(args.output))
    except OSError as error:
        print(f"kaifaqu policy: 无法写入 {args.output}:{error.strerror or error}", file=sys.stderr)
        return 1
    tasks = sum(1 for _ in rows(document))
    print(f"已写入 {args.output}:{tasks} 项任务", file=sys.stderr)
    return 0
