"""Division codes are read in two places only: ``Region``'s helpers and ``access/scope.py``.

A copy of the prefix arithmetic elsewhere drifts (one copy treated a city's code as a prefix of
two digits), so any of these shapes outside the two files fails here, naming the file and line.
"""

import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "kaifaqu"
ALLOWED = {"catalog/models.py", "access/scope.py"}
ARITHMETIC = re.compile(
    r"""code\[:\d\]            # a code's first digits: code[:2], region.code[:4]
      | \[:[246]\]\s*\+        # a prefix extended into another code: x[:4] + "00"
      | \+\s*["']0{2,4}["']    # padded to a parent's code: + "0000"
      | code__startswith       # a prefix match on a code in a query
      | region\w*"?\)?\.str\.(slice|head)\(  # the same in Polars
    """,
    re.VERBOSE,
)
# Industry codes (GB/T 4754) are read by their digits too; these lines read no division code.
NOT_DIVISIONS = {
    "mujun/scheme.py": ["major = code[:2]"],
    # a 招商 project's own number (ZONE-YEAR-NNNN), not a division's
    "investment/actions.py": ["numbers = Project._base_manager.filter(code__startswith=prefix)"],
}


def division_arithmetic(path: Path) -> list[str]:
    relative = path.relative_to(SOURCE).as_posix()
    exempt = NOT_DIVISIONS.get(relative, [])
    return [
        f"{relative}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ARITHMETIC.search(line) and line.strip() not in exempt
    ]


def sources() -> list[Path]:
    return [
        path
        for path in sorted(SOURCE.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(SOURCE).parts)
        and path.relative_to(SOURCE).as_posix() not in ALLOWED
    ]


def test_no_division_code_arithmetic_outside_region_and_scope():
    found = [finding for path in sources() for finding in division_arithmetic(path)]
    assert found == []


@pytest.mark.parametrize(
    "line",
    [
        'covering = [code[:2] + "0000", code[:4] + "00", code]',
        "return region.code[:4] if level == 'city' else region.code",
        'regions = [host.code[:4] + "02" for host in hosts]',
        "Zone.objects.filter(region__code__startswith=prefix)",
        'pl.col("region_code").str.slice(0, 4)',
    ],
)
def test_the_scan_finds_each_shape_of_the_arithmetic(line):
    assert ARITHMETIC.search(line)


@pytest.mark.parametrize(
    "line",
    [
        'if len(header) < 30 or header[:4] != b"PK\\x03\\x04":',
        'industry = pl.col("industry_code").str.slice(0, 2)',
        "found.sort(key=lambda item: item[:2])",
    ],
)
def test_the_scan_leaves_other_slicing_alone(line):
    assert not ARITHMETIC.search(line)
