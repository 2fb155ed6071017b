"""The framework tree and its loaders: errors name the row and the column at fault."""

import openpyxl
import polars as pl
import pytest

from kaifaqu.scoring import (
    DataError,
    Framework,
    FrameworkError,
    Node,
    framework_from_table,
    framework_from_toml,
    load_pipeline,
    read_table,
)

from .conftest import FIXTURES

HEADER = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type"


def _meta(tmp_path, *rows):
    path = tmp_path / "meta.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return framework_from_table(read_table(path), "meta.csv")


def _refusal(tmp_path, *rows):
    with pytest.raises(FrameworkError) as caught:
        _meta(tmp_path, *rows)
    return caught.value


def test_asem_meta_builds_a_four_level_tree():
    fw = framework_from_table(read_table(FIXTURES / "ASEM_iMeta.csv"), "ASEM_iMeta.csv")
    assert len(fw.indicators) == 49
    assert fw.aggregates[:2] == ("Physical", "ConEcFin")
    assert fw.aggregates[-3:] == ("Conn", "Sust", "Index")
    assert fw.index == "Index"
    assert fw.max_level == 4
    assert fw.groups == ("GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group")
    assert fw.denominators == ("Area", "Energy", "GDP", "Population")
    assert fw.node("Tariff").direction == -1
    assert fw.node("Flights").denominator == "Population"
    assert fw.relative_weights("Conn") == dict.fromkeys(
        ("Physical", "ConEcFin", "Political", "Instit", "P2P"), 0.2
    )


def test_unknown_parent_names_row_and_column(tmp_path):
    error = _refusal(tmp_path, "1,a,A,1,1,,,,Nowhere,Indicator", "2,T,T,1,1,,,,,Aggregate")
    assert (error.row, error.column) == (2, "Parent")
    assert str(error) == "meta.csv row 2, column Parent: unknown parent 'Nowhere'"


def test_cycle_is_refused(tmp_path):
    error = _refusal(
        tmp_path, "1,a,A,1,1,,,,P,Indicator", ",P,P,1,1,,,,Q,Aggregate", ",Q,Q,1,1,,,,P,Aggregate"
    )
    assert error.column == "Parent"
    assert error.row == 3
    assert "cycle in the framework: P → Q → P" in str(error)


def test_weightless_child_is_refused(tmp_path):
    error = _refusal(tmp_path, "1,a,A,1,,,,,T,Indicator", "2,T,T,1,1,,,,,Aggregate")
    assert (error.row, error.column) == (2, "Weight")


def test_type_outside_the_list_is_refused(tmp_path):
    error = _refusal(tmp_path, "1,a,A,1,1,,,,T,Indicatr", "2,T,T,1,1,,,,,Aggregate")
    assert (error.row, error.column) == (2, "Type")
    assert "'Indicatr' is not one of Indicator, Aggregate, Group, Denominator, Other" in str(error)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("1,a,A,2,1,,,,T,Indicator", "Direction"),
        ("1,a,A,x,1,,,,T,Indicator", "Direction"),
        ("1,a,A,1,heavy,,,,T,Indicator", "Weight"),
        ("1,a,A,1,-1,,,,T,Indicator", "Weight"),
        ("3,a,A,1,1,,,,T,Indicator", "Level"),
    ],
)
def test_bad_cells_name_their_column(tmp_path, row, column):
    error = _refusal(tmp_path, row, "2,T,T,1,1,,,,,Aggregate")
    assert (error.row, error.column) == (2, column)


def test_childless_aggregate_and_duplicate_code_are_refused(tmp_path):
    lonely = _refusal(
        tmp_path, "1,a,A,1,1,,,,T,Indicator", "2,T,T,1,1,,,,,Aggregate", "2,U,U,1,1,,,,,Aggregate"
    )
    assert (lonely.row, lonely.column) == (4, "iCode")
    twice = _refusal(
        tmp_path, "1,a,A,1,1,,,,T,Indicator", "1,a,A,1,1,,,,T,Indicator", "2,T,T,1,1,,,,,Aggregate"
    )
    assert (twice.row, twice.column) == (3, "iCode")


def test_levels_are_derived_when_absent():
    fw = Framework(
        [
            Node("x", parent="A", weight=1),
            Node("A", "Aggregate", parent="I", weight=2),
            Node("I", "Aggregate"),
        ]
    )
    assert (fw.level("x"), fw.level("A"), fw.level("I")) == (1, 2, 3)


def test_units_table_errors_name_indicator_and_unit(tmp_path):
    (tmp_path / "meta.csv").write_text(
        f"{HEADER}\n1,a,A,1,1,,,,T,Indicator\n2,T,T,1,1,,,,,Aggregate\n"
    )
    (tmp_path / "units.csv").write_text("uCode,a\nU1,1.5\nU2,lots\n")
    (tmp_path / "p.toml").write_text('[data]\nunits = "units.csv"\nmeta = "meta.csv"\n')
    with pytest.raises(DataError) as caught:
        load_pipeline(tmp_path / "p.toml")
    assert (caught.value.indicator, caught.value.unit) == ("a", "U2")
    assert "not a number: 'lots' (row 3)" in str(caught.value)


def test_missing_indicator_column_is_named(tmp_path):
    (tmp_path / "meta.csv").write_text(
        f"{HEADER}\n1,a,A,1,1,,,,T,Indicator\n2,T,T,1,1,,,,,Aggregate\n"
    )
    (tmp_path / "units.csv").write_text("uCode,b\nU1,1.5\n")
    (tmp_path / "p.toml").write_text('[data]\nunits = "units.csv"\nmeta = "meta.csv"\n')
    with pytest.raises(FrameworkError) as caught:
        load_pipeline(tmp_path / "p.toml")
    assert (caught.value.source, caught.value.column) == ("units.csv", "a")


def test_toml_framework_and_step_errors(tmp_path):
    (tmp_path / "units.csv").write_text("uCode,a,b\nU1,1,1\nU2,3,2\n")
    (tmp_path / "p.toml").write_text(
        '[data]\nunits = "units.csv"\n'
        '[[framework]]\ncode = "a"\nparent = "T"\nweight = 1\n'
        '[[framework]]\ncode = "b"\nparent = "T"\nweight = 3\ndirection = -1\n'
        '[[framework]]\ncode = "T"\ntype = "Aggregate"\n'
        '[[step]]\nkind = "normalise"\n[[step]]\nkind = "aggregate"\n'
    )
    results = load_pipeline(tmp_path / "p.toml").run()
    assert results.score("U1", "T") == 75.0
    assert results.score("U2", "T") == 25.0
    (tmp_path / "p.toml").write_text(
        '[data]\nunits = "units.csv"\n[[framework]]\ncode = "a"\n[[step]]\nkind = "normalise"\n'
        'methd = "minmax"\n'
    )
    with pytest.raises(FrameworkError) as caught:
        load_pipeline(tmp_path / "p.toml")
    assert (caught.value.row, caught.value.column) == (1, "methd")
    assert str(caught.value) == "p.toml [[step]] row 1, column methd: normalise has no key 'methd'"


def test_a_toml_entry_refused_by_the_tree_is_named_by_its_number_and_key():
    # given TOML entries whose second one hangs under an indicator
    entries = [
        {"code": "T", "type": "Aggregate"},
        {"code": "a", "parent": "b", "weight": 1},
        {"code": "b", "parent": "T", "weight": 1},
    ]
    # when the engine's loader reads them, then the error names entry 2 and its key
    with pytest.raises(FrameworkError) as caught:
        framework_from_toml(entries, "pool")
    assert (caught.value.row, caught.value.column) == (2, "parent")
    assert str(caught.value) == "pool row 2, column parent: parent 'b' is not an Aggregate"


def test_xlsx_in_coinr_layout_gives_the_csv_results(tmp_path):
    # given ASEM's two tables as sheets of one workbook
    # (spreadsheet writers keep 15 significant digits, as Excel shows them)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, name in (("iData", "ASEM_iData.csv"), ("iMeta", "ASEM_iMeta.csv")):
        frame = pl.read_csv(FIXTURES / name)
        page = book.create_sheet(sheet)
        page.append(frame.columns)
        for row in frame.iter_rows():
            page.append(row)
    book_path = tmp_path / "asem.xlsx"
    book.save(book_path)
    pipeline = (FIXTURES / "asem.toml").read_text()
    pipeline = pipeline.replace('"ASEM_iData.csv"', '"asem.xlsx"\nunits_sheet = "iData"')
    pipeline = pipeline.replace('"ASEM_iMeta.csv"', '"asem.xlsx"\nmeta_sheet = "iMeta"')
    (tmp_path / "asem.toml").write_text(pipeline)
    # when it runs / then it publishes the CSV run's figures and ranks
    from_xlsx = load_pipeline(tmp_path / "asem.toml").run()
    from_csv = load_pipeline(FIXTURES / "asem.toml").run()
    published = [
        pl.col(c).round(2) if c in from_csv.scores.columns else pl.col(c)
        for c in from_csv.table().columns
    ]
    assert from_xlsx.table().select(published).equals(from_csv.table().select(published))
    assert from_xlsx.score("CHE", "Index") == pytest.approx(68.38, abs=0.005)


def test_a_zone_assessment_framework_carries_its_own_table(tmp_path):
    # [assessment] (rules, disqualifications) is read by the assessment module, not the engine.
    source = (FIXTURES / "hdi.toml").read_text(encoding="utf-8")
    for name in ("hdi_units.csv", "hdi_meta.csv"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "hdi.toml").write_text(source + '\n[assessment]\nranked_by = "group"\n', "utf-8")
    plain = load_pipeline(FIXTURES / "hdi.toml").run()
    carried = load_pipeline(tmp_path / "hdi.toml").run()
    assert [carried.score(u, "HDI") for u in carried.units] == [
        plain.score(u, "HDI") for u in plain.units
    ]
