"""A scheme's figures changed in the form editor, written into its TOML with tomlkit. No Django.

The edit changes only the values the form holds (weights, benchmarks, grading shares, the 公示
window, the land threshold); every other line and every comment stays as the bureau wrote it.
A legacy document is converted to the current layout first (``scheme_format``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from kaifaqu.mujun.scheme import Benchmark, Scheme
from kaifaqu.mujun.scheme_format import upgrade_scheme


@dataclass(frozen=True)
class SchemeEdit:
    """The figures of a scheme the form edits, by pool and indicator code."""

    weights: dict[str, dict[str, float]]
    benchmarks: dict[str, dict[str, Benchmark]]
    shares: tuple[int, ...] | None
    publicity_days: tuple[int, int]
    land_threshold_mu: float


def current_edit(scheme: Scheme) -> SchemeEdit:
    """What the form shows first: the scheme's figures as they are."""
    quota = scheme.grading.method == "quota"
    return SchemeEdit(
        weights={pool.code: dict(pool.weights) for pool in scheme.pools},
        benchmarks={pool.code: dict(pool.benchmarks) for pool in scheme.pools},
        shares=scheme.grading.shares if quota else None,
        publicity_days=(scheme.publicity.min_days, scheme.publicity.max_days),
        land_threshold_mu=scheme.land_threshold_mu,
    )


def edited_document(text: str, scheme: Scheme, edit: SchemeEdit) -> str:
    """``text`` (the scheme's document) in the current layout with ``edit``'s figures; a value
    equal to the one read is left as written."""
    document = tomlkit.parse(upgrade_scheme(text))
    before = current_edit(scheme)
    for pool in _tables(document.get("pool")):
        code = str(pool.get("code"))
        if code in edit.weights:
            _set_weights(pool, edit.weights[code], before.weights.get(code, {}))
            _set_benchmarks(pool, edit.benchmarks[code], before.benchmarks.get(code, {}))
    if edit.shares is not None and edit.shares != before.shares:
        _table(document, "grading")["shares"] = list(edit.shares)
    if edit.publicity_days != before.publicity_days:
        publicity = _table(document, "publicity")
        publicity["min_days"], publicity["max_days"] = edit.publicity_days
    if edit.land_threshold_mu != before.land_threshold_mu:
        _table(document, "scheme")["land_threshold_mu"] = _number(edit.land_threshold_mu)
    return tomlkit.dumps(document)


def _set_weights(pool: Table, weights: dict[str, float], before: dict[str, float]) -> None:
    for entry in _tables(pool.get("framework")):
        code = entry.get("code")
        if code in weights and weights[code] != before.get(code):
            entry["weight"] = _number(weights[code])


def _set_benchmarks(
    pool: Table, benchmarks: dict[str, Benchmark], before: dict[str, Benchmark]
) -> None:
    table = _table(pool, "benchmarks")
    for code, benchmark in benchmarks.items():
        if benchmark != before.get(code):
            table[code] = _benchmark_value(benchmark)


def _benchmark_value(benchmark: Benchmark) -> Any:
    """A fixed benchmark as its number, a method as one inline table (as the presets write it)."""
    if benchmark.method == "fixed":
        return _number(benchmark.value or 0.0)
    spec = tomlkit.inline_table()
    spec["method"] = benchmark.method
    if benchmark.method == "percentile":
        spec["percentile"] = _number(benchmark.percentile)
    if benchmark.factor != 1.0:
        spec["factor"] = _number(benchmark.factor)
    return spec


def _number(value: float) -> int | float:
    """A whole number as an integer (``weight = 45``, not ``45.0``)."""
    return int(value) if float(value).is_integer() else float(value)


def _table(container: Any, name: str) -> Table:
    if name not in container:
        container[name] = tomlkit.table()
    table: Table = container[name]
    return table


def _tables(value: Any) -> list[Table]:
    return [t for t in value if isinstance(t, Table)] if isinstance(value, AoT) else []
