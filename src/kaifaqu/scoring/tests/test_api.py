"""The public surface: ``__all__``, no Django, doctests, exports, the log, the command line."""

import ast
import csv
import doctest
import importlib
import io
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pytest

import kaifaqu.scoring
from kaifaqu.scoring import (
    DataError,
    Framework,
    Node,
    Pipeline,
    UnitData,
    load_pipeline,
    regenerate,
)
from kaifaqu.scoring.cli import main

from .conftest import FIXTURES

PACKAGE = Path(kaifaqu.scoring.__file__).parent


def test_public_api_is_pinned():
    assert kaifaqu.scoring.__all__ == [
        "ENGINE_VERSION",
        "STEP_KINDS",
        "Aggregation",
        "AhpResult",
        "DataError",
        "Dataset",
        "Explanation",
        "Framework",
        "FrameworkError",
        "NextGrade",
        "Node",
        "Pipeline",
        "Results",
        "RuleRecord",
        "ScoringError",
        "ScreenedUnit",
        "Step",
        "StepOptions",
        "TreatmentRecord",
        "Uncertainty",
        "UnitData",
        "WeightNoise",
        "ahp_weights",
        "competition_rank",
        "copeland",
        "critic_weights",
        "entropy_weights",
        "equal_weights",
        "explain",
        "framework_from_table",
        "framework_from_toml",
        "grade_by_quota",
        "grade_by_thresholds",
        "input_hash",
        "load_pipeline",
        "parse_steps",
        "parse_uncertainty",
        "pca_weights",
        "quota_counts",
        "rank_uncertainty",
        "read_table",
        "regenerate",
        "round_half_up",
        "sensitivity",
        "skew_kurtosis",
        "sobol_indices",
        "topsis",
        "units_from_table",
    ]
    assert list(kaifaqu.scoring.STEP_KINDS) == [
        "denominate",
        "impute",
        "screen",
        "transform",
        "treat",
        "normalise",
        "weight",
        "aggregate",
        "round",
        "rank",
        "classify",
        "rule",
    ]


def test_one_exception_hierarchy():
    assert issubclass(kaifaqu.scoring.FrameworkError, kaifaqu.scoring.ScoringError)
    assert issubclass(kaifaqu.scoring.DataError, kaifaqu.scoring.ScoringError)


def test_importing_the_engine_loads_no_django():
    code = (
        "import kaifaqu.scoring, sys; assert not any(m.startswith('django') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_engine_source_imports_no_django_and_no_other_kaifaqu_module():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("django"), path
                assert not name.startswith("kaifaqu.") or name.startswith("kaifaqu.scoring"), path


def test_docstring_examples_run():
    for info in pkgutil.iter_modules(kaifaqu.scoring.__path__, "kaifaqu.scoring."):
        if info.name.endswith(".tests"):
            continue
        module = importlib.import_module(info.name)
        failed, _ = doctest.testmod(module, raise_on_error=False, verbose=False)
        assert failed == 0, info.name


class _PathLike:
    """An os.PathLike that is neither str nor pathlib.Path."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return self.path


def test_every_path_taking_entry_point_takes_str_and_pathlike(tmp_path):
    as_path = load_pipeline(FIXTURES / "asem.toml").run().table()
    for given in (str(FIXTURES / "asem.toml"), _PathLike(str(FIXTURES / "asem.toml"))):
        assert load_pipeline(given).run().table().equals(as_path)
        assert kaifaqu.scoring.Pipeline.from_toml(given).run().table().equals(as_path)
    meta = str(FIXTURES / "ASEM_iMeta.csv")
    assert kaifaqu.scoring.read_table(meta).shape == (68, 10)
    assert kaifaqu.scoring.read_table(_PathLike(meta)).shape == (68, 10)
    results = load_pipeline(str(FIXTURES / "hdi.toml")).run()
    results.write(_PathLike(str(tmp_path / "out.csv")))
    assert (tmp_path / "out.csv").read_text() == results.csv_text()


def test_a_missing_pipeline_file_is_refused_by_name(tmp_path):
    with pytest.raises(kaifaqu.scoring.FrameworkError, match=r"no such file: .*none\.toml"):
        load_pipeline(str(tmp_path / "none.toml"))


def test_exports_csv_xlsx_parquet(tmp_path):
    results = load_pipeline(FIXTURES / "hdi.toml").run()
    results.write(tmp_path / "out.csv")
    results.write(tmp_path / "out.parquet")
    results.write(tmp_path / "out.xlsx")
    csv_lines = (tmp_path / "out.csv").read_text().splitlines()
    assert csv_lines[0] == (
        "uCode,HDI,HDI.rank,Health,Health.rank,Education,Education.rank,Income,Income.rank"
    )
    assert csv_lines[1].startswith("CHE,0.962,1,")
    parquet = pl.read_parquet(tmp_path / "out.parquet")
    assert parquet["HDI"].to_list()[-1] == 0.4
    sheets = openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames
    assert sheets == [
        "Results",
        "Raw",
        "Transformed",
        "Normalised",
        "Aggregated",
        "Rounded",
        "ranks rank",
        "Log",
    ]


def _csv_module_text(table: pl.DataFrame) -> str:
    """The table as the csv module writes it, floats by repr: what csv_text has always given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.iter_rows():
        writer.writerow(
            ["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row]
        )
    return out.getvalue()


def test_csv_text_is_the_csv_modules_text_for_every_kind_of_cell():
    # given scores in both notations, at their edges, negative zero, missing; odd text cells
    values = [68.0, 1e-4, 9.99999e-05, 1e16, 9999999999999998.0, 1.5e-07, 0.1, -0.0, 1e22]
    values += [5e-324, -1.2550815052212134e-05, 123.456, float("nan"), 2.5]
    codes = [f"u{i}" for i in range(len(values))]
    codes[:4] = ["a,b", 'say "hi"', "two\nlines", " spaced "]
    data = UnitData.from_columns(codes, {"x": values, "y": [1.0] * len(values)})
    fw = Framework([Node("x", parent="T", weight=1), Node("y", parent="T", weight=0.5),
                    Node("T", "Aggregate")])  # fmt: skip
    results = Pipeline(fw, data, ()).run()
    # then the text is exactly the csv module's
    assert results.csv_text() == _csv_module_text(results.table())
    text = results.csv_text()
    assert [f",{v}," in text for v in ("9.99999e-05", "1e+16", "1e+22", "0.0001", "-0.0")] == [
        True
    ] * 5


def test_log_regenerates_the_result_exactly():
    pipeline = load_pipeline(FIXTURES / "asem.toml")
    first = pipeline.run()
    log = json.loads(json.dumps(first.log))  # as stored
    assert log["engine_version"] == kaifaqu.scoring.ENGINE_VERSION
    assert log["input_hash"].startswith("sha256:")
    assert [s["kind"] for s in log["steps"]] == [
        "denominate",
        "impute",
        "screen",
        "treat",
        "normalise",
        "aggregate",
    ]
    assert log["steps"][1] == {
        "kind": "impute",
        "method": "group_mean",
        "group": "EurAsia_group",
        "indicators": None,
        "no_group": "keep",
    }
    again = regenerate(log, pipeline.data)
    assert again.table().equals(first.table())
    assert again.log["input_hash"] == first.log["input_hash"]


def test_regenerate_refuses_other_data():
    asem = load_pipeline(FIXTURES / "asem.toml")
    hdi = load_pipeline(FIXTURES / "hdi.toml")
    with pytest.raises(DataError):
        regenerate(asem.run().log, hdi.data)


def test_cli_writes_the_file_and_lists_screened_units(tmp_path, capsys):
    pipeline = (FIXTURES / "hdi.toml").read_text()
    pipeline = pipeline.replace('"hdi_units.csv"', f'"{FIXTURES / "hdi_units.csv"}"')
    pipeline = pipeline.replace('"hdi_meta.csv"', f'"{FIXTURES / "hdi_meta.csv"}"')
    (tmp_path / "units.csv").write_text(
        (FIXTURES / "hdi_units.csv").read_text() + "XXX,Nowhere,70,,,\n"
    )
    pipeline = pipeline.replace(str(FIXTURES / "hdi_units.csv"), "units.csv")
    pipeline = pipeline.replace(
        '[[step]]\nkind = "transform"',
        '[[step]]\nkind = "screen"\nmin_availability = 0.5\n[[step]]\nkind = "transform"',
        1,
    )
    (tmp_path / "p.toml").write_text(pipeline)
    status = main(["run", str(tmp_path / "p.toml"), "-o", str(tmp_path / "out.csv")])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.out == ""
    assert captured.err == "screened out: XXX (availability 0.2500)\n"
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 13


def test_cli_exit_codes(tmp_path, capsys):
    assert main([]) == 2
    assert main(["run"]) == 2
    assert main(["run", str(tmp_path / "missing.toml")]) == 2
    (tmp_path / "units.csv").write_text("uCode,x\nA,1\nB,1\n")
    (tmp_path / "p.toml").write_text(
        '[data]\nunits = "units.csv"\n[[framework]]\ncode = "x"\nparent = "T"\nweight = 1\n'
        '[[framework]]\ncode = "T"\ntype = "Aggregate"\n[[step]]\nkind = "normalise"\n'
    )
    capsys.readouterr()
    assert main(["run", str(tmp_path / "p.toml")]) == 1
    assert "refused: indicator x: the column is constant" in capsys.readouterr().err


def test_kaifaqu_command_dispatches_to_the_engine():
    done = subprocess.run(
        [sys.executable, "-m", "kaifaqu", "index", "run", str(FIXTURES / "hdi.toml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[12].startswith("NER,0.4,12,")


def test_parquet_units_give_the_csv_result_and_the_same_input_hash(tmp_path):
    # given ASEM's units as a typed Parquet file (numbers as numbers, years as integers)
    pl.read_csv(FIXTURES / "ASEM_iData.csv").write_parquet(tmp_path / "units.parquet")
    (tmp_path / "meta.csv").write_bytes((FIXTURES / "ASEM_iMeta.csv").read_bytes())
    text = (FIXTURES / "asem.toml").read_text()
    text = text.replace('"ASEM_iData.csv"', '"units.parquet"').replace(
        '"ASEM_iMeta.csv"', '"meta.csv"'
    )
    (tmp_path / "p.toml").write_text(text)
    # when both run, then everything agrees
    from_csv = load_pipeline(FIXTURES / "asem.toml").run()
    from_parquet = load_pipeline(tmp_path / "p.toml").run()
    assert from_parquet.table().equals(from_csv.table())
    assert from_parquet.log["input_hash"] == from_csv.log["input_hash"]


def test_an_infinite_number_in_a_typed_file_is_refused(tmp_path):
    table = pl.DataFrame({"uCode": ["A", "B"], "x": [1.0, float("inf")]})
    framework = Framework([Node("x", parent="T", weight=1), Node("T", "Aggregate")])
    with pytest.raises(DataError, match=r"indicator x, unit B: not a number: inf \(row 3\)"):
        kaifaqu.scoring.units_from_table(table, framework, "units.parquet")


@pytest.mark.parametrize(
    "cell",
    [
        *(" 12", "1e5", "-.5", "+3", "NaN", " NA ", "", "NA", "1.", "1e-400", '"7"', "12 "),
        *("1e400", "inf", "-inf", "Infinity", "abc", "0x10", "1_000", "1 2", ".", "-", "e5", "١٢"),
    ],
)
def test_a_csv_read_as_numbers_gives_what_the_text_read_gives(tmp_path, cell):
    # given a units file with one cell of each kind, read as text or straight as numbers
    (tmp_path / "u.csv").write_text(f"uCode,x\nA,1\nB,{cell}\n", encoding="utf-8")
    framework = Framework([Node("x", parent="T", weight=1), Node("T", "Aggregate")])

    def outcome(numbers):
        table = kaifaqu.scoring.read_table(tmp_path / "u.csv", numbers=numbers)
        try:
            return repr(kaifaqu.scoring.units_from_table(table, framework, "u.csv").values[1, 0])
        except DataError as error:
            return str(error)

    # then the value, or the refusal naming the cell as written, is the same
    assert outcome(("x",)) == outcome(())
