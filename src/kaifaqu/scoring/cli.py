"""``kaifaqu index run PIPELINE.toml [-o OUT.csv]``: run a pipeline without a database.

Exit status: 0 done, 1 the input was refused (the message names indicator and unit), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._errors import ScoringError
from ._pipeline import load_pipeline
from ._results import Results

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kaifaqu index", description="Composite indicators without a database."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a pipeline file and print scores and ranks")
    run.add_argument("pipeline", type=Path, help="the pipeline TOML file")
    run.add_argument(
        "-o",
        "--output",
        type=Path,
        help="write here (.csv, .xlsx or .parquet) instead of CSV on stdout",
    )
    return parser


def main(argv: list[str]) -> int:
    """Entry point of ``kaifaqu index``; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return EXIT_OK if stop.code == 0 else EXIT_USAGE
    if not args.pipeline.is_file():
        print(f"kaifaqu index: no such pipeline file: {args.pipeline}", file=sys.stderr)
        return EXIT_USAGE
    try:
        results = load_pipeline(args.pipeline).run()
        _emit(results, args.output)
    except ScoringError as error:
        print(f"kaifaqu index: refused: {error}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _emit(results: Results, output: Path | None) -> None:
    for unit in results.screened_out:
        print(f"screened out: {unit.code} (availability {unit.availability:.4f})", file=sys.stderr)
    if output is None:
        sys.stdout.write(results.csv_text())
    else:
        results.write(output)
