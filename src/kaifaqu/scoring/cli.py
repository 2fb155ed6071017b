"""``kaifaqu index run PIPELINE.toml [-o OUT.csv] [--uncertainty N [--replications FILE]]
[--sensitivity N]`` and ``kaifaqu index explain PIPELINE.toml UNIT``: run or explain a pipeline
without a database.

Exit status: 0 done, 1 the input was refused (the message names indicator and unit), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import polars as pl

from ._errors import ScoringError
from ._explain import explain
from ._pipeline import Pipeline, load_pipeline
from ._results import Results
from ._uncertainty import rank_uncertainty, sensitivity

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
    run.add_argument(
        "--uncertainty",
        type=int,
        metavar="N",
        help="N Monte Carlo replications of the [uncertainty] choices: mean, median and "
        "quantiles (default 5th and 95th, R's type 7) of the index's rank and score per unit",
    )
    run.add_argument(
        "--replications",
        type=Path,
        metavar="FILE.parquet",
        help="with --uncertainty: write each replication's index rank and score per unit here, "
        "streamed, and the sampled parameters to FILE.parameters.parquet",
    )
    run.add_argument(
        "--sensitivity",
        type=int,
        metavar="N",
        help="Sobol indices per choice from a Saltelli design of N x (k + 2) replications "
        "(printed on stderr)",
    )
    run.add_argument("--seed", type=int, help="override the [uncertainty] seed")
    why = commands.add_parser("explain", help="explain one unit's scores, ranks and grade")
    why.add_argument("pipeline", type=Path, help="the pipeline TOML file")
    why.add_argument("unit", help="the unit's uCode")
    return parser


def main(argv: list[str]) -> int:
    """Entry point of ``kaifaqu index``; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return EXIT_OK if stop.code == 0 else EXIT_USAGE
    if args.command == "run" and args.replications is not None and args.uncertainty is None:
        print("kaifaqu index: --replications needs --uncertainty N", file=sys.stderr)
        return EXIT_USAGE
    if not args.pipeline.is_file():
        print(f"kaifaqu index: no such pipeline file: {args.pipeline}", file=sys.stderr)
        return EXIT_USAGE
    try:
        pipeline = load_pipeline(args.pipeline)
        if args.command == "explain":
            sys.stdout.write(explain(pipeline, args.unit).text())
            return EXIT_OK
        _run(_seeded(pipeline, args.seed), args)
    except ScoringError as error:
        print(f"kaifaqu index: refused: {error}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _seeded(pipeline: Pipeline, seed: int | None) -> Pipeline:
    if seed is None or pipeline.uncertainty is None:
        return pipeline
    return dataclasses.replace(
        pipeline, uncertainty=dataclasses.replace(pipeline.uncertainty, seed=seed)
    )


def _run(pipeline: Pipeline, args: argparse.Namespace) -> None:
    results = pipeline.run()
    if args.uncertainty is not None:
        table = rank_uncertainty(pipeline, args.uncertainty, replications_file=args.replications)
        results = dataclasses.replace(results, uncertainty=table)
    _emit(results, args.output)
    if args.sensitivity is not None:
        indices = sensitivity(pipeline, args.sensitivity)
        _print_sensitivity(indices, args.sensitivity, len(indices))


def _print_sensitivity(indices: pl.DataFrame, samples: int, choices: int) -> None:
    print(
        f"sensitivity of the index's mean rank shift ({samples} x {choices + 2} replications):",
        file=sys.stderr,
    )
    for row in indices.iter_rows(named=True):
        print(
            f"  {row['choice']:<24} first order {row['first_order']:7.4f}   "
            f"total {row['total']:7.4f}",
            file=sys.stderr,
        )


def _emit(results: Results, output: Path | None) -> None:
    for unit in results.screened_out:
        print(f"screened out: {unit.code} (availability {unit.availability:.4f})", file=sys.stderr)
    if output is None:
        sys.stdout.write(results.csv_text())
    else:
        results.write(output)
