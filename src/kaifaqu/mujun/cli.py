"""``kaifaqu mujun evaluate DATA --scheme PRESET|FILE [--year Y] -o RESULT.xlsx``: no database.

Exit status: 0 written; 1 input refused (every problem on stderr, by row and column); 2 wrong
usage. ``--scheme list`` prints one line per preset, ``id<TAB>中文名称``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kaifaqu.mujun.scheme import Scheme, SchemeError, list_presets, load_preset, parse_scheme

USAGE = "kaifaqu mujun evaluate DATA.xlsx|DATA.csv --scheme PRESET|FILE [--year Y] -o RESULT.xlsx"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Usage(message)


class _Usage(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kaifaqu mujun", usage=USAGE, description="亩均效益综合评价(离线)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    evaluate = commands.add_parser("evaluate", usage=USAGE, help="评价一个文件中的企业")
    evaluate.add_argument("data", nargs="?", type=Path, help="企业数据 xlsx/xls/ods/csv")
    evaluate.add_argument(
        "--scheme", required=True, help="预置方案 id(--scheme list 列出)或方案 TOML 文件"
    )
    evaluate.add_argument("--year", type=int, help="评价年度(文件含多个年份时必填)")
    evaluate.add_argument("-o", "--output", type=Path, help="结果文件 .xlsx 或 .csv")
    return parser


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except _Usage as error:
        print(f"用法:{USAGE}\n错误:{error}", file=sys.stderr)
        return 2
    if args.command != "evaluate":
        print(f"用法:{USAGE}", file=sys.stderr)
        return 2
    if args.scheme == "list":
        for preset_id, name in list_presets():
            print(f"{preset_id}\t{name}")
        return 0
    if args.data is None or args.output is None:
        print(f"用法:{USAGE}\n错误:需要数据文件和 -o 结果文件", file=sys.stderr)
        return 2
    try:
        scheme = _scheme(args.scheme)
    except SchemeError as error:
        return _refused(error.problems)
    except OSError as error:
        print(f"错误:无法读取方案文件 {args.scheme}:{error.strerror}", file=sys.stderr)
        return 2
    if not args.data.is_file():
        print(f"错误:找不到数据文件 {args.data}", file=sys.stderr)
        return 2
    return _evaluate(args.data, scheme, args.year, args.output)


def _scheme(given: str) -> Scheme:
    path = Path(given)
    if path.suffix == ".toml" or path.is_file():
        return parse_scheme(path.read_text(encoding="utf-8"))
    return load_preset(given)


def _evaluate(data: Path, scheme: Scheme, year: int | None, output: Path) -> int:
    from kaifaqu.mujun.offline import Refused, output_rows, read_input, run_offline, write_output

    try:
        frame = read_input(data, scheme)
        evaluation = run_offline(frame, scheme, year)
    except Refused as refused:
        return _refused(refused.problems)
    header, rows = output_rows(evaluation, scheme)
    write_output(output, header, rows)
    counts = evaluation.counts()
    print(
        f"已写入 {output}:{counts['units']} 家企业,参评 {counts.get('graded', 0)} 家",
        file=sys.stderr,
    )
    return 0


def _refused(problems: list[str]) -> int:
    print("输入被拒绝:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1
